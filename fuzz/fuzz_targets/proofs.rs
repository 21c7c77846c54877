//! Schnorr, DLEQ and disjunctive proofs.
//!
//! Each decoder round-trips byte for byte; each decoded proof is verified
//! against the fixed statement of its kind, individually and in a batch
//! with the valid fixture proof. A proof that verifies must be the fixture's
//! own bytes (anything else is a forgery or malleability), and the batch
//! must agree with individual verification and name the fuzzed proof.
#![no_main]

use kleroterion::encoding::Encode;
use kleroterion::error::Error;
use kleroterion::proofs::{
    DisjunctiveProof, DisjunctiveStatement, DleqProof, SchnorrProof, SchnorrStatement,
};
use kleroterion_fuzz::fixtures::{fixtures, rng, transcript, ALLOWED};
use kleroterion_fuzz::roundtrip;
use libfuzzer_sys::fuzz_target;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;

/// Checks the batch outcome against the individual one, for the batch
/// `[fuzzed, fixture]`.
fn agree(individual: &Result<(), Error>, batch: Result<(), Error>) {
    match individual {
        Ok(()) => assert_eq!(batch, Ok(())),
        Err(_) => assert!(
            matches!(
                batch,
                Err(Error::BatchVerificationFailed { index: Some(0), .. })
            ),
            "batch must name the fuzzed proof: {batch:?}"
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let mut rng = rng(1);
    if let Some(proof) = roundtrip::<SchnorrProof>(data) {
        let ok = proof.verify(&mut transcript(), &G, &f.schnorr_public);
        if ok.is_ok() {
            assert_eq!(proof.to_bytes(), f.schnorr.to_bytes(), "Schnorr forgery");
        }
        let st = SchnorrStatement {
            base: G,
            public: f.schnorr_public,
        };
        let batch = SchnorrProof::batch_verify(
            &[(transcript(), &st, &proof), (transcript(), &st, &f.schnorr)],
            &mut rng,
        );
        agree(&ok, batch);
        // The wrong statement never verifies.
        assert!(proof
            .verify(&mut transcript(), &G, &f.dleq_statement.b)
            .is_err());
    }
    if let Some(proof) = roundtrip::<DleqProof>(data) {
        let st = &f.dleq_statement;
        let ok = proof.verify(&mut transcript(), st);
        if ok.is_ok() {
            assert_eq!(proof.to_bytes(), f.dleq.to_bytes(), "DLEQ forgery");
        }
        let batch = DleqProof::batch_verify(
            &[(transcript(), st, &proof), (transcript(), st, &f.dleq)],
            &mut rng,
        );
        agree(&ok, batch);
    }
    if let Some(proof) = roundtrip::<DisjunctiveProof>(data) {
        let pk = f.keys.public();
        let ok = proof.verify(&mut transcript(), pk, &f.ciphertext, &ALLOWED);
        if ok.is_ok() {
            assert_eq!(
                proof.to_bytes(),
                f.disjunctive.to_bytes(),
                "disjunctive forgery"
            );
        }
        let st = DisjunctiveStatement::new(pk, &f.ciphertext, &ALLOWED);
        let batch = DisjunctiveProof::batch_verify(
            &[
                (transcript(), &st, &proof),
                (transcript(), &st, &f.disjunctive),
            ],
            &mut rng,
        );
        agree(&ok, batch);
        // A smaller allowed set without the encrypted value never verifies.
        assert!(proof
            .verify(&mut transcript(), pk, &f.ciphertext, &ALLOWED[..1])
            .is_err());
    }
});
