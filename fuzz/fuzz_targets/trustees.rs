//! Key generation messages, trustee sets and partial decryptions.
//!
//! * Every decoder (`DkgParameters`, round-1 and round-2 packages,
//!   `Complaint`, `DkgTranscript`, `TrusteeSet`, `ShareEvaluation`,
//!   `PartialDecryption`, and the secret `SecretShare` storage format)
//!   round-trips byte for byte.
//! * A decoded `DkgTranscript` is verified; a trustee set it yields passes
//!   the `TrusteeSet` decoder's consistency checks, and the fixture
//!   transcript yields the fixture set.
//! * A decoded round-1 package that verifies under the fixture parameters is
//!   the fixture package of that dealer; a decoded round-2 package whose
//!   signature verifies under the fixture round 1 is the fixture package of
//!   that dealer.
//! * A decoded partial decryption is verified against the fixture trustee
//!   set and tally ciphertext: if it verifies it is one of the fixture
//!   partials. Combined with three honest partials (in front of them, so it
//!   can shadow an honest trustee's index), decryption still succeeds and
//!   yields the fixture plaintext: bad partials never change or block the
//!   result; `verify_batch` on the same list fails, naming a position,
//!   exactly when `combine` rejected one.
#![no_main]

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use kleroterion::encoding::{Decode, Encode};
use kleroterion::error::Error;
use kleroterion::trustees::dkg::{round1, round2, Complaint, DkgParameters, DkgTranscript};
use kleroterion::trustees::{combine, PartialDecryption, SecretShare, ShareEvaluation, TrusteeSet};
use kleroterion_fuzz::fixtures::{fixtures, rng, TALLY};
use kleroterion_fuzz::roundtrip;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let mut rng = rng(2);
    roundtrip::<DkgParameters>(data);
    if let Some(package) = roundtrip::<round2::Package>(data) {
        if package.verify(&f.dkg.parameters, &f.dkg.round1).is_ok() {
            assert!(f.dkg.round2.contains(&package), "round-2 package forgery");
        }
    }
    roundtrip::<Complaint>(data);
    roundtrip::<ShareEvaluation>(data);
    roundtrip::<TrusteeSet>(data);
    if let Ok(share) = SecretShare::from_secret_bytes(data) {
        assert_eq!(share.to_secret_bytes().as_slice(), data);
    }
    if let Some(package) = roundtrip::<round1::Package>(data) {
        if package.verify(&f.dkg.parameters).is_ok() {
            assert!(f.dkg.round1.contains(&package), "round-1 package forgery");
        }
    }
    if let Some(transcript) = roundtrip::<DkgTranscript>(data) {
        if let Ok(set) = transcript.verify(&mut rng) {
            let decoded = TrusteeSet::from_bytes(&set.to_bytes());
            assert_eq!(decoded.as_ref(), Ok(&set), "verified set is inconsistent");
            if transcript == f.dkg {
                assert_eq!(set, f.trustees);
            }
        }
    }
    if let Some(partial) = roundtrip::<PartialDecryption>(data) {
        if partial.verify(&f.trustees, &f.tally).is_ok() {
            assert!(f.partials.contains(&partial), "partial decryption forgery");
        }
        let mut partials = vec![partial];
        partials.extend_from_slice(&f.partials[1..]);
        let decryption = combine(&f.trustees, &f.tally, &partials, &mut rng)
            .expect("three honest partials decrypt");
        let batch = PartialDecryption::verify_batch(&partials, &f.trustees, &f.tally, &mut rng);
        match batch {
            Ok(()) => assert!(decryption.rejected.is_empty()),
            Err(Error::BatchVerificationFailed { index: Some(_), .. }) => {
                assert!(!decryption.rejected.is_empty())
            }
            Err(e) => panic!("verify_batch must name the bad partial: {e:?}"),
        }
        assert_eq!(
            decryption.plaintext,
            RistrettoPoint::mul_base(&Scalar::from(TALLY))
        );
    }
});
