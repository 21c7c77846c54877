//! Threshold trustees (spec/trustees.md): t-of-n distributed key generation,
//! partial decryption with DLEQ proofs and Lagrange combination.
//!
//! * [`shares`]: participant indices, secret polynomials, Feldman
//!   commitments, [`SecretShare`] / [`VerificationShare`], Lagrange
//!   coefficients (spec §2–§3).
//! * [`dkg`]: the key generation as round types (`part1` → `part2` →
//!   `part3` → `finish`), complaints and disqualification, and the public
//!   [`dkg::DkgTranscript`] from which anyone re-derives the [`TrusteeSet`]
//!   (spec §4–§5).
//! * [`ShareEvaluation`] and [`combine_evaluations`]: `sⱼ·B` with a DLEQ
//!   proof and its interpolation from any `t` trustees, for any base `B`
//!   (spec §6); the threshold beacon uses these with `B = H(x)`.
//! * [`PartialDecryption`] and [`combine`]: threshold ElGamal decryption
//!   (spec §7).
//!
//! ```
//! # use kleroterion::trustees::{dkg, combine, ParticipantIndex, PartialDecryption};
//! # use kleroterion::elgamal::Ciphertext;
//! # use curve25519_dalek::{constants::RISTRETTO_BASEPOINT_POINT as G, scalar::Scalar};
//! # use rand_core::OsRng;
//! let params = dkg::DkgParameters::new(3, 2, b"election 2027-01")?;
//! let ids: Vec<_> = ParticipantIndex::range(3).collect();
//! let (s1, p1): (Vec<_>, Vec<_>) =
//!     ids.iter().map(|&i| dkg::part1(&params, i, &mut OsRng)).collect::<Result<Vec<_>, _>>()?.into_iter().unzip();
//! let (s2, p2): (Vec<_>, Vec<_>) =
//!     s1.into_iter().map(|s| dkg::part2(s, &p1, &mut OsRng)).collect::<Result<Vec<_>, _>>()?.into_iter().unzip();
//! let (s3, complaints): (Vec<_>, Vec<_>) =
//!     s2.into_iter().map(|s| dkg::part3(s, &p2, &mut OsRng)).collect::<Result<Vec<_>, _>>()?.into_iter().unzip();
//! let complaints: Vec<_> = complaints.into_iter().flatten().collect();
//! let outputs = s3.into_iter().map(|s| dkg::finish(s, &complaints, &mut OsRng)).collect::<Result<Vec<_>, _>>()?;
//! let trustees = &outputs[0].trustees;
//!
//! let ct = Ciphertext::encrypt_with_nonce(trustees.joint_public_key(), &Scalar::from(7u64), &Scalar::from(99u64));
//! // Trustee 2 is absent.
//! let partials = [&outputs[0], &outputs[2]]
//!     .iter()
//!     .map(|o| PartialDecryption::prove(&o.share, trustees, &ct, &mut OsRng))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let decryption = combine(trustees, &ct, &partials, &mut OsRng)?;
//! assert_eq!(decryption.plaintext, Scalar::from(7u64) * G);
//! # Ok::<(), kleroterion::Error>(())
//! ```

mod decryption;
pub mod dkg;
mod evaluation;
mod set;
pub mod shares;
pub mod simulate;

pub use decryption::{combine, Decryption, PartialDecryption};
pub use evaluation::{combine_evaluations, verify_evaluations, Combination, ShareEvaluation};
pub use set::TrusteeSet;
pub(crate) use shares::scaled_lagrange_coefficients;
pub use shares::{
    lagrange_coefficients, lagrange_coefficients_at, ParticipantIndex, PolynomialCommitment,
    SecretPolynomial, SecretShare, VerificationShare, MAX_PARTICIPANTS,
};

#[cfg(test)]
mod tests;
