//! Anonymous credentials: membership proofs, anonymity sets, consent
//! statements and the linking-tag registry, against the fixture set of five
//! citizens (`src/civic.rs`) and the sets of `test-vectors/credential.json`.
//!
//! * `MembershipProof`, `AnonymitySet` and `ConsentStatement` round-trip.
//! * A decoded membership proof that verifies over a known set, context and
//!   message is a known proof for them; `verify_batch([fuzzed, valid])`
//!   agrees with individual verification and names index 0 on failure.
//! * Through a `TagRegistry` that already holds citizen 0's tag, a fuzzed
//!   proof is recorded only if it verifies, and is "already used" exactly
//!   when its tag was recorded; a second proof by citizen 0 is refused as
//!   already used.
//! * A decoded anonymity set under which a known proof verifies is that
//!   proof's set (the set commitment is binding).
//! * A decoded consent statement that verifies for a known polity and year
//!   is a known statement; `verify_batch([fuzzed, valid])` agrees.
#![no_main]

use kleroterion::credential::{
    AnonymitySet, ConsentStatement, MembershipProof, TagOutcome, TagRegistry,
};
use kleroterion_fuzz::civic::{credential_fixtures, CREDENTIAL_CONTEXT};
use kleroterion_fuzz::fixtures::rng;
use kleroterion_fuzz::{assert_batch_agrees, roundtrip};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = credential_fixtures();
    let mut rng = rng(4);
    if let Some(proof) = roundtrip::<MembershipProof>(data) {
        for (set, context, message, known) in &f.proofs {
            let valid = proof.verify(set, context, message).is_ok();
            if valid {
                assert!(
                    f.proofs
                        .iter()
                        .any(|(s, c, m, p)| { (s, c, m, p) == (set, context, message, &proof) }),
                    "membership proof forgery"
                );
            }
            let batch = MembershipProof::verify_batch(
                set,
                context,
                &[(message.as_slice(), &proof), (message.as_slice(), known)],
                &mut rng,
            );
            assert_batch_agrees(batch, valid, "MembershipProof::verify_batch");
        }
        let (set, _, first_message, first) = &f.proofs[0];
        let mut registry = TagRegistry::new(CREDENTIAL_CONTEXT);
        let outcome = registry.verify_and_record(set, first_message, first);
        assert_eq!(outcome, Ok(TagOutcome::Fresh));
        let (_, _, second_message, second) = &f.proofs[1];
        let outcome = registry.verify_and_record(set, second_message, second);
        assert_eq!(
            outcome,
            Ok(TagOutcome::AlreadyUsed),
            "citizen 0 acted twice"
        );
        for message in [first_message, second_message, &f.proofs[2].2] {
            let seen = registry.contains(proof.tag());
            let before = registry.len();
            match registry.verify_and_record(set, message, &proof) {
                Ok(TagOutcome::Fresh) => assert!(!seen),
                Ok(TagOutcome::AlreadyUsed) => assert!(seen),
                Err(_) => assert_eq!(registry.len(), before, "a rejected proof was recorded"),
            }
        }
    }
    if let Some(set) = roundtrip::<AnonymitySet>(data) {
        for (known_set, context, message, proof) in &f.proofs {
            if proof.verify(&set, context, message).is_ok() {
                assert_eq!(&set, known_set, "a proof verifies over another set");
            }
        }
    }
    if let Some(statement) = roundtrip::<ConsentStatement>(data) {
        let groups = [
            (&f.polity, f.year, &f.consents),
            (&f.vector_polity.0, f.vector_polity.1, &f.vector_consents),
        ];
        for (polity, year, known) in groups {
            let valid = statement.verify(polity, year).is_ok();
            if valid {
                assert!(known.contains(&statement), "consent statement forgery");
            }
            let batch = ConsentStatement::verify_batch(
                &[statement.clone(), known[0].clone()],
                polity,
                year,
                &mut rng,
            );
            assert_batch_agrees(batch, valid, "ConsentStatement::verify_batch");
        }
    }
});
