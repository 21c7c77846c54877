//! An assembly vote's eligibility checks (spec/credential.md §7): 150
//! delegates each attach a membership proof over the seated assembly's keys,
//! with the motion as context and the ballot hash as message. All 150 verify
//! in one batch and record 150 fresh tags; a ballot from a citizen who is not
//! a delegate and a second ballot from one delegate are both rejected.

use kleroterion::credential::{
    AnonymitySet, CitizenSecretKey, MembershipProof, TagOutcome, TagRegistry,
};
use kleroterion::Error;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const MOTION: &[u8] = b"assembly 2027/3, motion 12: harm finding";

#[test]
fn assembly_of_150() {
    let mut rng = ChaCha20Rng::seed_from_u64(150);
    let delegates: Vec<_> = (0..150)
        .map(|_| CitizenSecretKey::generate(&mut rng))
        .collect();
    let assembly = AnonymitySet::new(delegates.iter().map(|d| d.public_key()).collect()).unwrap();

    let ballots: Vec<Vec<u8>> = (0..150u32)
        .map(|i| format!("ballot {i}").into_bytes())
        .collect();
    let proofs: Vec<_> = delegates
        .iter()
        .zip(&ballots)
        .map(|(d, b)| MembershipProof::prove(&assembly, d, MOTION, b, &mut rng).unwrap())
        .collect();
    let items: Vec<(&[u8], &MembershipProof)> =
        ballots.iter().map(|b| b.as_slice()).zip(&proofs).collect();
    MembershipProof::verify_batch(&assembly, MOTION, &items, &mut rng).unwrap();

    let mut registry = TagRegistry::new(MOTION);
    for p in &proofs {
        assert_eq!(registry.record(p.tag()), TagOutcome::Fresh);
    }
    assert_eq!(registry.len(), 150);

    // A 151st ballot from a citizen who is not a delegate: the prover
    // refuses, and a proof made over another set does not verify here.
    let outsider = CitizenSecretKey::generate(&mut rng);
    assert!(MembershipProof::prove(&assembly, &outsider, MOTION, b"ballot 151", &mut rng).is_err());
    let mut other_keys: Vec<_> = delegates[1..].iter().map(|d| d.public_key()).collect();
    other_keys.push(outsider.public_key());
    let other = AnonymitySet::new(other_keys).unwrap();
    let p151 = MembershipProof::prove(&other, &outsider, MOTION, b"ballot 151", &mut rng).unwrap();
    assert_eq!(
        registry.verify_and_record(&assembly, b"ballot 151", &p151),
        Err(Error::VerificationFailed {
            proof: "credential membership"
        })
    );
    let mut with_outsider = items.clone();
    with_outsider.push((b"ballot 151", &p151));
    assert_eq!(
        MembershipProof::verify_batch(&assembly, MOTION, &with_outsider, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "credential membership",
            index: Some(150)
        })
    );

    // A second ballot from delegate 42: valid proof, same tag, already used.
    let second =
        MembershipProof::prove(&assembly, &delegates[42], MOTION, b"again", &mut rng).unwrap();
    assert_eq!(
        registry.verify_and_record(&assembly, b"again", &second),
        Ok(TagOutcome::AlreadyUsed)
    );
    assert_eq!(registry.len(), 150);

    // The same delegates on the next motion get fresh, unlinkable tags.
    let next =
        MembershipProof::prove(&assembly, &delegates[42], b"motion 13", b"b", &mut rng).unwrap();
    assert!(!registry.contains(next.tag()));
    assert!(proofs.iter().all(|p| p.tag() != next.tag()));
}
