//! End-to-end tests of key generation and threshold decryption.

use alloc::vec::Vec;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use super::dkg::{self, Complaint, DkgOutput, DkgParameters, DkgTranscript};
use super::*;
use crate::elgamal::Ciphertext;
use crate::encoding::{Decode, Encode};
use crate::error::Error;
use crate::transcript::new_transcript;

fn idx(i: u16) -> ParticipantIndex {
    ParticipantIndex::new(i).unwrap()
}

/// The public messages of each round, with optional tampering between them.
struct Run {
    round1: Vec<dkg::round1::Package>,
    round2: Vec<dkg::round2::Package>,
    complaints: Vec<Complaint>,
    outputs: Vec<Result<DkgOutput, Error>>,
}

/// Runs a key generation in which, with `cheat = Some((dealer, victim))`,
/// `dealer` deals `victim` a bad (signed) share, and `tamper2` then alters
/// the round-2 broadcasts before round 3.
fn run_dkg_with(
    n: u16,
    t: u16,
    context: &[u8],
    seed: u64,
    cheat: Option<(u16, u16)>,
    tamper2: impl Fn(&mut Vec<dkg::round2::Package>),
) -> Run {
    let params = DkgParameters::new(n, t, context).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let (s1, round1): (Vec<_>, Vec<_>) = ParticipantIndex::range(n)
        .map(|i| dkg::part1(&params, i, &mut rng).unwrap())
        .unzip();
    let (s2, mut round2): (Vec<_>, Vec<_>) = s1
        .into_iter()
        .zip(ParticipantIndex::range(n))
        .map(|(s, i)| match cheat {
            Some((dealer, victim)) if idx(dealer) == i => {
                simulate::part2_cheating(s, &round1, idx(victim), &mut rng).unwrap()
            }
            _ => dkg::part2(s, &round1, &mut rng).unwrap(),
        })
        .unzip();
    tamper2(&mut round2);
    let (s3, complaints): (Vec<_>, Vec<_>) = s2
        .into_iter()
        .map(|s| dkg::part3(s, &round2, &mut rng).unwrap())
        .unzip();
    let complaints: Vec<Complaint> = complaints.into_iter().flatten().collect();
    let outputs = s3
        .into_iter()
        .map(|s| dkg::finish(s, &complaints, &mut rng))
        .collect();
    Run {
        round1,
        round2,
        complaints,
        outputs,
    }
}

/// [`run_dkg_with`] where `dealer` cheats `victim` and nothing is altered.
fn run_cheated(n: u16, t: u16, context: &[u8], seed: u64, dealer: u16, victim: u16) -> Run {
    run_dkg_with(n, t, context, seed, Some((dealer, victim)), |_| {})
}

fn run_dkg(n: u16, t: u16, seed: u64) -> Vec<DkgOutput> {
    let params = DkgParameters::new(n, t, b"test election").unwrap();
    super::simulate::run_locally(&params, &mut ChaCha20Rng::seed_from_u64(seed)).unwrap()
}

fn encrypt(trustees: &TrusteeSet, m: u64, r: u64) -> Ciphertext {
    Ciphertext::encrypt_with_nonce(
        trustees.joint_public_key(),
        &Scalar::from(m),
        &Scalar::from(r),
    )
}

fn partials(
    outputs: &[&DkgOutput],
    trustees: &TrusteeSet,
    ct: &Ciphertext,
    rng: &mut ChaCha20Rng,
) -> Vec<PartialDecryption> {
    outputs
        .iter()
        .map(|o| PartialDecryption::prove(&o.share, trustees, ct, rng).unwrap())
        .collect()
}

/// The secret `f(0)` interpolated from shares (test-only: never done in the protocol).
fn joint_secret(outputs: &[&DkgOutput]) -> Scalar {
    let ids: Vec<_> = outputs.iter().map(|o| o.share.index()).collect();
    let lambdas = lagrange_coefficients(&ids).unwrap();
    outputs
        .iter()
        .zip(lambdas)
        .map(|(o, l)| l * o.share.value())
        .sum()
}

#[test]
fn dkg_5_of_3_is_consistent_and_publicly_verifiable() {
    let outputs = run_dkg(5, 3, 1);
    let trustees = &outputs[0].trustees;
    assert_eq!(trustees.verification_shares().len(), 5);
    assert_eq!(trustees.disqualified().count(), 0);
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for o in &outputs {
        assert_eq!(&o.trustees, trustees);
        assert_eq!(o.transcript, outputs[0].transcript);
        assert_eq!(
            trustees.verification_share(o.share.index()).unwrap().point,
            o.share.public()
        );
    }
    assert_eq!(&outputs[0].transcript.verify(&mut rng).unwrap(), trustees);
    let all: Vec<&DkgOutput> = outputs.iter().collect();
    let s = joint_secret(&all[..3]);
    assert_eq!(s * G, *trustees.joint_public_key().point());
    assert_eq!(joint_secret(&all[2..]), s);
}

#[test]
fn decryption_with_two_absent_and_every_subset_agrees() {
    let outputs = run_dkg(5, 3, 3);
    let trustees = &outputs[0].trustees;
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let ct = encrypt(trustees, 42, 777);
    let expected = Scalar::from(42u64) * G;
    let all = partials(&outputs.iter().collect::<Vec<_>>(), trustees, &ct, &mut rng);
    for p in &all {
        p.verify(trustees, &ct).unwrap();
    }
    PartialDecryption::verify_batch(&all, trustees, &ct, &mut rng).unwrap();
    let mut subsets = 0;
    for a in 0..5 {
        for b in a + 1..5 {
            for c in b + 1..5 {
                let subset = [all[a].clone(), all[b].clone(), all[c].clone()];
                let d = combine(trustees, &ct, &subset, &mut rng).unwrap();
                assert_eq!(d.plaintext, expected);
                assert!(d.rejected.is_empty());
                subsets += 1;
            }
        }
    }
    assert_eq!(subsets, 10);
    // More than t: the t smallest valid indices are used.
    let d = combine(trustees, &ct, &all, &mut rng).unwrap();
    assert_eq!(d.plaintext, expected);
    assert_eq!(d.used, [idx(1), idx(2), idx(3)]);
}

#[test]
fn below_threshold_fails_with_typed_error() {
    let outputs = run_dkg(5, 3, 5);
    let trustees = &outputs[0].trustees;
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let ct = encrypt(trustees, 1, 2);
    let two = partials(&[&outputs[1], &outputs[4]], trustees, &ct, &mut rng);
    assert_eq!(
        combine(trustees, &ct, &two, &mut rng),
        Err(Error::BelowThreshold {
            threshold: 3,
            available: 2
        })
    );
    assert_eq!(
        trustees.lagrange_coefficients(&[idx(1), idx(2)]),
        Err(Error::BelowThreshold {
            threshold: 3,
            available: 2
        })
    );
    assert_eq!(
        trustees.lagrange_coefficients(&[idx(1), idx(2), idx(2)]),
        Err(Error::DuplicateIndex { index: 2 })
    );
    assert_eq!(
        trustees.lagrange_coefficients(&[idx(1), idx(2), idx(6)]),
        Err(Error::UnknownIndex { index: 6 })
    );
    // A duplicate partial does not count twice.
    let dup = [two[0].clone(), two[1].clone(), two[1].clone()];
    let err = combine(trustees, &ct, &dup, &mut rng).unwrap_err();
    assert_eq!(
        err,
        Error::BelowThreshold {
            threshold: 3,
            available: 2
        }
    );
}

fn tamper_share(round2: &mut [dkg::round2::Package], dealer: u16, recipient: u16) {
    let p = round2.iter_mut().find(|p| p.dealer == idx(dealer)).unwrap();
    // Recipients are the other participants in ascending order.
    let pos = usize::from(if recipient < dealer {
        recipient - 1
    } else {
        recipient - 2
    });
    p.encrypted_shares[pos] += Scalar::ONE;
}

/// Replaces the index inside an encoded partial decryption (bytes 2..4).
fn with_index(p: &PartialDecryption, index: u16) -> PartialDecryption {
    let mut bytes = p.to_bytes();
    bytes[2..4].copy_from_slice(&index.to_le_bytes());
    PartialDecryption::from_bytes(&bytes).unwrap()
}

#[test]
fn cheating_dealer_is_caught_by_complaint_and_disqualified() {
    let run = run_cheated(5, 3, b"test election", 7, 2, 4);
    assert_eq!(run.complaints.len(), 1);
    assert_eq!(run.complaints[0].accuser(), idx(4));
    assert_eq!(run.complaints[0].accused(), idx(2));
    let outputs: Vec<DkgOutput> = run
        .outputs
        .into_iter()
        .enumerate()
        .filter_map(|(i, o)| {
            if i == 1 {
                assert_eq!(o.unwrap_err(), Error::Disqualified { index: 2 });
                None
            } else {
                Some(o.unwrap())
            }
        })
        .collect();
    let trustees = &outputs[0].trustees;
    assert_eq!(trustees.disqualified().collect::<Vec<_>>(), [idx(2)]);
    assert_eq!(
        trustees.verification_share(idx(2)),
        Err(Error::Disqualified { index: 2 })
    );
    // Anyone re-derives the same outcome from the public transcript.
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    assert_eq!(&outputs[0].transcript.verify(&mut rng).unwrap(), trustees);
    // The remaining four decrypt, any three of them.
    let ct = encrypt(trustees, 5, 6);
    let refs: Vec<&DkgOutput> = outputs.iter().collect();
    let ps = partials(&refs, trustees, &ct, &mut rng);
    let d = combine(trustees, &ct, &ps[1..], &mut rng).unwrap();
    assert_eq!(d.plaintext, Scalar::from(5u64) * G);
    // A partial decryption claiming the disqualified index is rejected.
    let forged = with_index(&ps[0], 2);
    assert_eq!(
        forged.verify(trustees, &ct),
        Err(Error::Disqualified { index: 2 })
    );
    let d = combine(
        trustees,
        &ct,
        &[forged, ps[1].clone(), ps[2].clone(), ps[3].clone()],
        &mut rng,
    )
    .unwrap();
    assert_eq!(d.rejected, [(idx(2), Error::Disqualified { index: 2 })]);
    assert_eq!(d.plaintext, Scalar::from(5u64) * G);
}

#[test]
fn false_complaint_disqualifies_the_accuser() {
    // The same complaint in a run where dealer 2 was honest is false.
    let cheated = run_cheated(5, 3, b"test election", 9, 2, 4);
    let honest = run_dkg_with(5, 3, b"test election", 9, None, |_| {});
    assert_eq!(honest.round1, cheated.round1);
    let transcript = DkgTranscript {
        parameters: DkgParameters::new(5, 3, b"test election").unwrap(),
        round1: honest.round1,
        round2: honest.round2,
        complaints: cheated.complaints,
    };
    let set = transcript
        .verify(&mut ChaCha20Rng::seed_from_u64(1))
        .unwrap();
    assert_eq!(set.disqualified().collect::<Vec<_>>(), [idx(4)]);
}

#[test]
fn missing_round2_package_disqualifies_publicly() {
    let run = run_dkg_with(4, 2, b"ctx", 10, None, |r2| {
        r2.retain(|p| p.dealer != idx(3));
    });
    assert!(run.complaints.is_empty());
    let ok: Vec<_> = run.outputs.into_iter().filter_map(Result::ok).collect();
    assert_eq!(ok.len(), 3);
    assert_eq!(ok[0].trustees.disqualified().collect::<Vec<_>>(), [idx(3)]);
}

#[test]
fn too_many_disqualified_fails() {
    let run = run_cheated(3, 3, b"ctx", 11, 1, 2);
    for o in run.outputs {
        assert_eq!(
            o.unwrap_err(),
            Error::BelowThreshold {
                threshold: 3,
                available: 2
            }
        );
    }
}

#[test]
fn forged_pop_and_replayed_packages_rejected() {
    let params = DkgParameters::new(3, 2, b"A").unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let (s1, mut round1): (Vec<_>, Vec<_>) = ParticipantIndex::range(3)
        .map(|i| dkg::part1(&params, i, &mut rng).unwrap())
        .unzip();
    // Forged PoP: trustee 3 copies trustee 1's proof.
    round1[2].proof = round1[0].proof;
    let expected = Error::ParticipantFailed {
        index: 3,
        check: "proof of possession",
    };
    assert_eq!(round1[2].verify(&params), Err(expected.clone()));
    let mut s1 = s1.into_iter();
    assert_eq!(
        dkg::part2(s1.next().unwrap(), &round1, &mut rng).unwrap_err(),
        expected
    );

    // Replay: a package made for context A offered in context B.
    let other = DkgParameters::new(3, 2, b"B").unwrap();
    assert!(matches!(
        round1[0].verify(&other),
        Err(Error::ParticipantFailed { index: 1, .. })
    ));
    // Or under another threshold.
    assert!(round1[0]
        .verify(&DkgParameters::new(4, 2, b"A").unwrap())
        .is_err());
    let (b1, _) = dkg::part1(&other, idx(1), &mut rng).unwrap();
    let (_, b2) = dkg::part1(&other, idx(2), &mut rng).unwrap();
    let (_, b3) = dkg::part1(&other, idx(3), &mut rng).unwrap();
    let replayed = [round1[0].clone(), b2, b3.clone()];
    // Trustee 1's own package is replaced: caught as an altered own package
    // or as a failing PoP.
    assert!(dkg::part2(b1, &replayed, &mut rng).is_err());
    let (b1, b1_package) = dkg::part1(&other, idx(1), &mut rng).unwrap();
    let replayed = [b1_package, round1[1].clone(), b3];
    let err = dkg::part2(b1, &replayed, &mut rng).unwrap_err();
    assert!(
        matches!(err, Error::ParticipantFailed { index: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn round1_input_errors() {
    let params = DkgParameters::new(3, 2, b"ctx").unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    assert_eq!(
        dkg::part1(&params, idx(4), &mut rng).unwrap_err(),
        Error::UnknownIndex { index: 4 }
    );
    let (s1, round1): (Vec<_>, Vec<_>) = ParticipantIndex::range(3)
        .map(|i| dkg::part1(&params, i, &mut rng).unwrap())
        .unzip();
    let mut s1 = s1.into_iter();
    // Identical copies count once: participant 3 is still missing.
    let dup = [round1[0].clone(), round1[1].clone(), round1[1].clone()];
    assert!(matches!(
        dkg::part2(s1.next().unwrap(), &dup, &mut rng).unwrap_err(),
        Error::LengthMismatch {
            expected: 3,
            actual: 2,
            ..
        }
    ));
    // Two different valid packages of one dealer: equivocation, named.
    let (_, again) = dkg::part1(&params, idx(2), &mut rng).unwrap();
    let (s1_again, own) = dkg::part1(&params, idx(1), &mut rng).unwrap();
    let equivocating = [own, round1[1].clone(), again, round1[2].clone()];
    assert_eq!(
        dkg::part2(s1_again, &equivocating, &mut rng).unwrap_err(),
        Error::DuplicateIndex { index: 2 }
    );
    assert!(matches!(
        dkg::part2(s1.next().unwrap(), &round1[..2], &mut rng).unwrap_err(),
        Error::LengthMismatch {
            expected: 3,
            actual: 2,
            ..
        }
    ));
    for (n, t) in [(0, 0), (3, 0), (3, 4), (MAX_PARTICIPANTS + 1, 1)] {
        assert!(matches!(
            DkgParameters::new(n, t, b""),
            Err(Error::InvalidParameter { .. })
        ));
    }
    assert!(DkgParameters::new(3, 2, &[0; dkg::MAX_CONTEXT_LEN + 1]).is_err());
}

#[test]
fn incomplete_complaint_list_is_detected() {
    let params = DkgParameters::new(3, 2, b"ctx").unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let (s1, round1): (Vec<_>, Vec<_>) = ParticipantIndex::range(3)
        .map(|i| dkg::part1(&params, i, &mut rng).unwrap())
        .unzip();
    let mut s1 = s1.into_iter();
    let cheater = simulate::part2_cheating(s1.next().unwrap(), &round1, idx(3), &mut rng);
    let (s2, round2): (Vec<_>, Vec<_>) = core::iter::once(cheater.unwrap())
        .chain(s1.map(|s| dkg::part2(s, &round1, &mut rng).unwrap()))
        .unzip();
    let s3 = s2.into_iter().last().unwrap();
    let (s3, complaints) = dkg::part3(s3, &round2, &mut rng).unwrap();
    assert_eq!(complaints.len(), 1);
    assert!(matches!(
        dkg::finish(s3, &[], &mut rng),
        Err(Error::ParticipantFailed { index: 3, .. })
    ));
}

#[test]
fn forged_partial_decryption_is_detected_and_named() {
    let outputs = run_dkg(5, 3, 15);
    let trustees = &outputs[0].trustees;
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let ct = encrypt(trustees, 9, 10);
    let mut ps = partials(&outputs.iter().collect::<Vec<_>>(), trustees, &ct, &mut rng);
    // Trustee 2 publishes a wrong share point with its proof.
    let mut bytes = ps[1].to_bytes();
    bytes[4..36].copy_from_slice((ps[1].share_point() + G).compress().as_bytes());
    ps[1] = PartialDecryption::from_bytes(&bytes).unwrap();
    let named = Error::ParticipantFailed {
        index: 2,
        check: "DLEQ proof of the share evaluation",
    };
    assert_eq!(ps[1].verify(trustees, &ct), Err(named.clone()));
    assert_eq!(
        PartialDecryption::verify_batch(&ps, trustees, &ct, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "partial decryption",
            index: Some(1)
        })
    );
    let d = combine(trustees, &ct, &ps, &mut rng).unwrap();
    assert_eq!(d.rejected, [(idx(2), named)]);
    assert_eq!(d.used, [idx(1), idx(3), idx(4)]);
    assert_eq!(d.plaintext, Scalar::from(9u64) * G);
    // A valid partial for another ciphertext does not verify for this one.
    let other = encrypt(trustees, 9, 11);
    assert!(ps[0].verify(trustees, &other).is_err());
    // An unknown trustee.
    assert_eq!(
        with_index(&ps[0], 6).verify(trustees, &ct),
        Err(Error::UnknownIndex { index: 6 })
    );
    // A share from another key generation cannot be used.
    let foreign = run_dkg(5, 3, 17);
    assert!(matches!(
        PartialDecryption::prove(&foreign[0].share, trustees, &ct, &mut rng),
        Err(Error::ParticipantFailed { index: 1, .. })
    ));
}

#[test]
fn generic_evaluation_serves_other_bases() {
    // The beacon's use: σⱼ = sⱼ·H(x), combined to s·H(x).
    let outputs = run_dkg(4, 2, 18);
    let trustees = &outputs[0].trustees;
    let mut rng = ChaCha20Rng::seed_from_u64(19);
    let base = RistrettoPoint::hash_from_bytes::<sha3::Sha3_512>(b"round 1");
    let transcript = || new_transcript(b"beacon");
    let evals: Vec<ShareEvaluation> = outputs[2..]
        .iter()
        .map(|o| ShareEvaluation::prove(&o.share, &mut transcript(), &base, &mut rng))
        .collect();
    verify_evaluations(trustees, &base, &evals, transcript, &mut rng).unwrap();
    let c = combine_evaluations(trustees, &base, &evals, transcript, &mut rng).unwrap();
    let refs: Vec<&DkgOutput> = outputs.iter().collect();
    assert_eq!(c.point, joint_secret(&refs[..2]) * base);
    // Proofs are bound to their transcript.
    assert!(evals[0]
        .verify(&mut new_transcript(b"other"), &base, trustees)
        .is_err());
}

#[test]
fn dkg_25_of_13() {
    let outputs = run_dkg(25, 13, 20);
    let trustees = &outputs[0].trustees;
    let mut rng = ChaCha20Rng::seed_from_u64(21);
    let ct = encrypt(trustees, 150, 3);
    let refs: Vec<&DkgOutput> = outputs.iter().rev().take(13).collect();
    let ps = partials(&refs, trustees, &ct, &mut rng);
    let d = combine(trustees, &ct, &ps, &mut rng).unwrap();
    assert_eq!(d.plaintext, Scalar::from(150u64) * G);
}

#[test]
fn encodings_roundtrip_and_serde() {
    let run = run_cheated(3, 2, b"enc", 22, 3, 1);
    let out = run.outputs.into_iter().find_map(Result::ok).unwrap();
    let t = &out.transcript;
    assert_eq!(DkgTranscript::from_bytes(&t.to_bytes()).unwrap(), *t);
    assert_eq!(
        TrusteeSet::from_bytes(&out.trustees.to_bytes()).unwrap(),
        out.trustees
    );
    assert_eq!(
        DkgParameters::from_bytes(&t.parameters.to_bytes()).unwrap(),
        t.parameters
    );
    for p in &t.round1 {
        assert_eq!(dkg::round1::Package::from_bytes(&p.to_bytes()).unwrap(), *p);
    }
    for p in &t.round2 {
        assert_eq!(dkg::round2::Package::from_bytes(&p.to_bytes()).unwrap(), *p);
    }
    assert_eq!(t.complaints.len(), 1);
    let c = &t.complaints[0];
    assert_eq!(Complaint::from_bytes(&c.to_bytes()).unwrap(), *c);
    let mut rng = ChaCha20Rng::seed_from_u64(23);
    let ct = encrypt(&out.trustees, 1, 1);
    let p = PartialDecryption::prove(&out.share, &out.trustees, &ct, &mut rng).unwrap();
    assert_eq!(PartialDecryption::from_bytes(&p.to_bytes()).unwrap(), p);
    // A partial decryption is not a share evaluation.
    assert!(matches!(
        ShareEvaluation::from_bytes(&p.to_bytes()),
        Err(Error::WrongObjectType { .. })
    ));
}

#[cfg(feature = "serde")]
#[test]
fn serde_roundtrips_through_the_encoding() {
    let out = run_dkg(3, 2, 27).swap_remove(0);
    let t = &out.transcript;
    let json = serde_json::to_string(t).unwrap();
    assert_eq!(serde_json::from_str::<DkgTranscript>(&json).unwrap(), *t);
    let json = serde_json::to_string(&out.trustees).unwrap();
    assert_eq!(
        serde_json::from_str::<TrusteeSet>(&json).unwrap(),
        out.trustees
    );
    let ct = encrypt(&out.trustees, 1, 1);
    let mut rng = ChaCha20Rng::seed_from_u64(28);
    let p = PartialDecryption::prove(&out.share, &out.trustees, &ct, &mut rng).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<PartialDecryption>(&json).unwrap(), p);
    // Serde input goes through the same validation as binary input.
    assert!(serde_json::from_str::<TrusteeSet>("\"4501\"").is_err());
}

#[test]
fn inconsistent_trustee_set_rejected() {
    let outputs = run_dkg(5, 3, 24);
    let bytes = outputs[0].trustees.to_bytes();
    // Layout: header 2, parameters (2 + 2 + 2 + 4 + context), joint key 32,
    // count 4, then (index 2, point 32) per trustee.
    let shares_at = 2 + 10 + b"test election".len() + 32 + 4;
    for (k, what) in [(0usize, "joint"), (4, "last share")] {
        let mut b = bytes.clone();
        let at = if what == "joint" {
            shares_at - 36
        } else {
            shares_at + 34 * k + 2
        };
        b[at..at + 32].copy_from_slice(G.compress().as_bytes());
        assert!(TrusteeSet::from_bytes(&b).is_err(), "{what}");
    }
    // Fewer than t shares.
    let mut b = bytes[..shares_at - 4].to_vec();
    b.extend_from_slice(&2u32.to_le_bytes());
    b.extend_from_slice(&bytes[shares_at..shares_at + 68]);
    assert_eq!(
        TrusteeSet::from_bytes(&b),
        Err(Error::BelowThreshold {
            threshold: 3,
            available: 2
        })
    );
    // Out of order.
    let mut b = bytes[..shares_at].to_vec();
    b.extend_from_slice(&bytes[shares_at + 34..shares_at + 68]);
    b.extend_from_slice(&bytes[shares_at..shares_at + 34]);
    b.extend_from_slice(&bytes[shares_at + 68..]);
    assert!(matches!(
        TrusteeSet::from_bytes(&b),
        Err(Error::InvalidParameter { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn random_threshold_parameters_decrypt(n in 1u16..=6, t_frac in 0.0f64..1.0, seed: u64, m in 0u64..1000) {
        let t = 1 + ((f64::from(n) * t_frac) as u16).min(n - 1);
        let outputs = run_dkg(n, t, seed);
        let trustees = &outputs[0].trustees;
        let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 1);
        let ct = encrypt(trustees, m, seed);
        // A seed-dependent subset of exactly t trustees.
        let skip = (seed % u64::from(n - t + 1)) as usize;
        let chosen: Vec<&DkgOutput> = outputs.iter().skip(skip).take(usize::from(t)).collect();
        let ps = partials(&chosen, trustees, &ct, &mut rng);
        let d = combine(trustees, &ct, &ps, &mut rng).unwrap();
        prop_assert_eq!(d.plaintext, Scalar::from(m) * G);
        if t > 1 {
            prop_assert!(combine(trustees, &ct, &ps[1..], &mut rng).is_err());
        }
    }

    #[test]
    fn every_byte_change_of_a_partial_decryption_is_rejected(pos in 0usize..100, flip in 1u8..=255) {
        let (outputs, ct, p) = fixture();
        let mut bytes = p.to_bytes();
        let pos = pos % bytes.len();
        bytes[pos] ^= flip;
        if let Ok(q) = PartialDecryption::from_bytes(&bytes) {
            prop_assert!(q.verify(&outputs[0].trustees, &ct).is_err());
        }
    }
}

fn fixture() -> (Vec<DkgOutput>, Ciphertext, PartialDecryption) {
    let outputs = run_dkg(3, 2, 25);
    let ct = encrypt(&outputs[0].trustees, 3, 4);
    let p = PartialDecryption::prove(
        &outputs[0].share,
        &outputs[0].trustees,
        &ct,
        &mut ChaCha20Rng::seed_from_u64(26),
    )
    .unwrap();
    (outputs, ct, p)
}

/// Regression (found by `fuzz/fuzz_targets/trustees.rs` and `beacon.rs`): an
/// invalid partial carrying an honest trustee's index, placed before that
/// trustee's valid partial, made the valid one a "duplicate" and blocked a
/// decryption that had `t` valid partials.
#[test]
fn invalid_partial_cannot_shadow_an_honest_trustee() {
    let outputs = run_dkg(5, 3, 21);
    let trustees = &outputs[0].trustees;
    let mut rng = ChaCha20Rng::seed_from_u64(22);
    let ct = encrypt(trustees, 5, 55);
    let other = encrypt(trustees, 6, 66);
    let honest = partials(
        &[&outputs[1], &outputs[2], &outputs[3]],
        trustees,
        &ct,
        &mut rng,
    );
    // Trustee 2's partial of another ciphertext: right index, wrong proof.
    let forged = partials(&[&outputs[1]], trustees, &other, &mut rng).remove(0);
    assert!(forged.verify(trustees, &ct).is_err());
    let mut list = alloc::vec![forged];
    list.extend(honest.iter().cloned());
    let d = combine(trustees, &ct, &list, &mut rng).unwrap();
    assert_eq!(d.plaintext, Scalar::from(5u64) * G);
    assert_eq!(d.used, [idx(2), idx(3), idx(4)]);
    assert!(matches!(
        d.rejected.as_slice(),
        [(i, Error::ParticipantFailed { .. })] if *i == idx(2)
    ));
    // A second valid copy is still a duplicate, reported at its position.
    let mut dup = honest.clone();
    dup.push(honest[0].clone());
    assert_eq!(
        PartialDecryption::verify_batch(&dup, trustees, &ct, &mut rng),
        Err(Error::BatchVerificationFailed {
            proof: "partial decryption",
            index: Some(3)
        })
    );
    let d = combine(trustees, &ct, &dup, &mut rng).unwrap();
    assert_eq!(d.rejected, [(idx(2), Error::DuplicateIndex { index: 2 })]);
}

/// Regression (found while bounding the fuzz targets' cost): the decoder's
/// consistency check interpolated every share beyond the first `t` from
/// scratch, `O(n·t²)` work; a 35 KB set with `n = 1024, t = 512` took about
/// 80 s to decode (release build). The check is now one randomized
/// dual-code test; an inconsistent share is still caught.
#[test]
fn large_trustee_set_decodes_quickly_and_is_still_checked() {
    use crate::encoding::{Tag, Writer};

    const N: u16 = MAX_PARTICIPANTS;
    const T: u16 = 512;
    // f(x) = 5 + 3x: consistent for any t ≥ 2.
    let f = |x: u16| (Scalar::from(5u64) + Scalar::from(3u64) * Scalar::from(x)) * G;
    let encode = |bad: Option<u16>| {
        let mut w = Writer::new();
        w.header(Tag::TrusteeSet, 1);
        w.header(Tag::DkgParameters, 1);
        w.raw(&N.to_le_bytes());
        w.raw(&T.to_le_bytes());
        w.bytes(b"large");
        w.point(&f(0));
        w.len(usize::from(N));
        for j in 1..=N {
            w.raw(&j.to_le_bytes());
            let y = if bad == Some(j) { f(j) + G } else { f(j) };
            w.point(&y);
        }
        w.into_bytes()
    };
    let set = TrusteeSet::from_bytes(&encode(None)).unwrap();
    assert_eq!(set.verification_shares().len(), usize::from(N));
    for bad in [1, T, N] {
        assert_eq!(
            TrusteeSet::from_bytes(&encode(Some(bad))),
            Err(Error::VerificationFailed {
                proof: "trustee set consistency"
            }),
            "share {bad}"
        );
    }
}
/// Runs a 4-of-2 key generation where dealer 2 cheats recipient 4, and
/// returns the public transcript parts (complaint by 4 against 2 included).
fn cheated_transcript(seed: u64) -> DkgTranscript {
    let run = run_cheated(4, 2, b"complaints", seed, 2, 4);
    DkgTranscript {
        parameters: DkgParameters::new(4, 2, b"complaints").unwrap(),
        round1: run.round1,
        round2: run.round2,
        complaints: run.complaints,
    }
}

fn disqualified_by(t: &DkgTranscript) -> Result<Vec<ParticipantIndex>, Error> {
    t.verify(&mut ChaCha20Rng::seed_from_u64(0))
        .map(|set| set.disqualified().collect())
}

/// Re-encodes a complaint with one field changed.
fn complaint_with(c: &Complaint, accuser: u16, accused: u16) -> Complaint {
    let mut bytes = c.to_bytes();
    bytes[2..4].copy_from_slice(&accuser.to_le_bytes());
    bytes[4..6].copy_from_slice(&accused.to_le_bytes());
    Complaint::from_bytes(&bytes).unwrap()
}

#[test]
fn complaint_judging_rules() {
    let t = cheated_transcript(30);
    assert_eq!(t.complaints.len(), 1);
    assert_eq!(disqualified_by(&t).unwrap(), [idx(2)]);
    let original = t.complaints[0].clone();
    let judged = |c: Complaint| {
        let mut t = t.clone();
        t.complaints = alloc::vec![c];
        disqualified_by(&t)
    };
    // Against oneself, or naming an unknown dealer: the accuser is
    // disqualified and the cheating dealer 2, not validly accused, stays.
    assert_eq!(judged(complaint_with(&original, 4, 4)).unwrap(), [idx(4)]);
    assert_eq!(judged(complaint_with(&original, 4, 9)).unwrap(), [idx(4)]);
    // Proof bound to the pair: re-attributed to another accuser it fails.
    assert_eq!(judged(complaint_with(&original, 3, 2)).unwrap(), [idx(3)]);
    // An unknown accuser makes the record malformed.
    assert_eq!(
        judged(complaint_with(&original, 7, 2)),
        Err(Error::UnknownIndex { index: 7 })
    );
    // A wrong DH key (proof no longer matches) disqualifies the accuser.
    let mut bytes = original.to_bytes();
    bytes[6..38].copy_from_slice(G.compress().as_bytes());
    assert_eq!(
        judged(Complaint::from_bytes(&bytes).unwrap()).unwrap(),
        [idx(4)]
    );
    // A complaint against a dealer that sent no round-2 package is moot.
    let mut t2 = t.clone();
    t2.round2.retain(|p| p.dealer != idx(2));
    assert_eq!(disqualified_by(&t2).unwrap(), [idx(2)]);
    // An identical copy of a round-2 package counts once; a different second
    // package from the same dealer is equivocation and disqualifies it.
    // (With the same seed, round 1 is the same and dealer 1's second,
    // differently dealt package is validly signed.)
    let mut t3 = t.clone();
    t3.round2.push(t.round2[0].clone());
    assert_eq!(disqualified_by(&t3).unwrap(), [idx(2)]);
    let other = run_cheated(4, 2, b"complaints", 30, 1, 3).round2.remove(0);
    assert_ne!(other, t.round2[0]);
    t3.round2.push(other);
    assert_eq!(disqualified_by(&t3).unwrap(), [idx(1), idx(2)]);
    // A round-2 package from outside 1..=n makes the record malformed.
    let mut t4 = t.clone();
    let mut stranger = t.round2[0].clone();
    stranger.dealer = idx(5);
    t4.round2.push(stranger);
    assert_eq!(disqualified_by(&t4), Err(Error::UnknownIndex { index: 5 }));
}

fn signature_failed(dealer: u32) -> Error {
    Error::ParticipantFailed {
        index: dealer,
        check: "round-2 package signature",
    }
}

#[test]
fn round2_signature_binds_dealer_ciphertexts_and_key_generation() {
    let t = cheated_transcript(34);
    let verify = |p: &dkg::round2::Package| p.verify(&t.parameters, &t.round1);
    for p in &t.round2 {
        verify(p).unwrap();
    }
    let mut reversed = t.round1.clone();
    reversed.reverse();
    t.round2[0].verify(&t.parameters, &reversed).unwrap();
    assert_eq!(
        t.round2[0].verify(&t.parameters, &t.round1[1..]),
        Err(Error::LengthMismatch {
            what: "round-1 packages (one per participant)",
            expected: 4,
            actual: 3
        })
    );
    // An altered ciphertext in a stored record: the record is rejected and
    // the check names the dealer whose signature no longer holds.
    let mut altered = t.clone();
    tamper_share(&mut altered.round2, 3, 1);
    assert_eq!(verify(&altered.round2[2]), Err(signature_failed(3)));
    assert_eq!(disqualified_by(&altered), Err(signature_failed(3)));
    // Another dealer's signature.
    let mut swapped = t.clone();
    swapped.round2[0].signature = t.round2[2].signature;
    assert_eq!(disqualified_by(&swapped), Err(signature_failed(1)));
    // Dealer 1's package claimed by dealer 3 (in place of 3's own).
    let mut claimed = t.clone();
    claimed.round2[2] = t.round2[0].clone();
    claimed.round2[2].dealer = idx(3);
    assert_eq!(disqualified_by(&claimed), Err(signature_failed(3)));
    // Replayed from another key generation. With the same seed the dealers'
    // polynomials, hence their signing keys Cᵢ₀, are the same there: only
    // the binding of the context and round 1 rejects the replay.
    let other = run_dkg_with(4, 2, b"another election", 34, Some((2, 4)), |_| {});
    assert_eq!(
        other.round1[0].commitment().constant(),
        t.round1[0].commitment().constant()
    );
    assert_eq!(verify(&other.round2[0]), Err(signature_failed(1)));
    let mut replayed = t.clone();
    replayed.round2[0] = other.round2[0].clone();
    assert_eq!(disqualified_by(&replayed), Err(signature_failed(1)));
    // Under other parameters (here: another threshold) as well.
    let p3 = DkgParameters::new(4, 3, b"complaints").unwrap();
    assert!(verify(&t.round2[0]).is_ok() && t.round2[0].verify(&p3, &t.round1).is_err());
    // A dealer outside 1..=n.
    let mut stranger = t.round2[0].clone();
    stranger.dealer = idx(5);
    assert_eq!(verify(&stranger), Err(Error::UnknownIndex { index: 5 }));
}

#[test]
fn badly_signed_package_is_discarded_and_its_dealer_disqualified() {
    // Dealer 2's package is altered on the way: it is nobody's package, so
    // recipient 4 cannot (and need not) complain; everyone drops it.
    let run = run_dkg_with(4, 2, b"ctx", 35, None, |r2| tamper_share(r2, 2, 4));
    assert!(run.complaints.is_empty());
    let mut outputs = run.outputs.into_iter();
    assert_eq!(
        outputs.nth(1).unwrap().unwrap_err(),
        Error::Disqualified { index: 2 }
    );
    let output = outputs.next().unwrap().unwrap();
    assert_eq!(output.trustees.disqualified().collect::<Vec<_>>(), [idx(2)]);
    assert!(output.transcript.round2.iter().all(|p| p.dealer != idx(2)));
    assert_eq!(disqualified_by(&output.transcript).unwrap(), [idx(2)]);
}

#[test]
fn an_honest_dealer_cannot_be_framed() {
    // Accuser 4 holds a valid complaint against dealer 2 from a run where 2
    // cheated it; in the honest run with the same round 1 it alters 2's
    // ciphertext to the cheating value. Without signatures the complaint
    // would be upheld; now the record is rejected, naming 2's package.
    let cheated = run_cheated(5, 3, b"test election", 9, 2, 4);
    let honest = run_dkg_with(5, 3, b"test election", 9, None, |_| {});
    let mut framed = DkgTranscript {
        parameters: DkgParameters::new(5, 3, b"test election").unwrap(),
        round1: honest.round1,
        round2: honest.round2,
        complaints: cheated.complaints,
    };
    assert_eq!(disqualified_by(&framed).unwrap(), [idx(4)]);
    tamper_share(&mut framed.round2, 2, 4);
    assert_eq!(
        framed.round2[1].encrypted_shares,
        cheated.round2[1].encrypted_shares
    );
    assert_eq!(disqualified_by(&framed), Err(signature_failed(2)));
    // With 2's signature from the cheating run as well, the package is the
    // cheating one, which 2 did sign: framing needs the dealer's key.
    framed.round2[1] = cheated.round2[1].clone();
    assert_eq!(disqualified_by(&framed).unwrap(), [idx(2)]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_byte_change_of_a_round2_package_is_rejected(pos in 0usize..200, flip in 1u8..=255) {
        let t = cheated_transcript(36);
        let mut bytes = t.round2[1].to_bytes();
        let pos = pos % bytes.len();
        bytes[pos] ^= flip;
        if let Ok(p) = dkg::round2::Package::from_bytes(&bytes) {
            prop_assert!(p.verify(&t.parameters, &t.round1).is_err());
        }
    }

    #[test]
    fn every_byte_change_of_a_round1_package_is_rejected(pos in 0usize..200, flip in 1u8..=255) {
        let t = cheated_transcript(31);
        let p = &t.round1[0];
        let mut bytes = p.to_bytes();
        let pos = pos % bytes.len();
        bytes[pos] ^= flip;
        if let Ok(q) = dkg::round1::Package::from_bytes(&bytes) {
            prop_assert!(q.verify(&t.parameters).is_err());
        }
    }

    #[test]
    fn every_byte_change_of_a_complaint_voids_it(pos in 0usize..200, flip in 1u8..=255) {
        let t = cheated_transcript(32);
        let mut bytes = t.complaints[0].to_bytes();
        let pos = pos % bytes.len();
        bytes[pos] ^= flip;
        if let Ok(c) = Complaint::from_bytes(&bytes) {
            let mut t = t.clone();
            t.complaints = alloc::vec![c];
            // The altered complaint no longer convicts dealer 2 — unless
            // the change made dealer 2 the accuser (bytes 2..4): a
            // self-accusation disqualifies the accuser, who is then 2.
            let accuser = u16::from_le_bytes([bytes[2], bytes[3]]);
            if let (Ok(out), false) = (disqualified_by(&t), accuser == 2) {
                prop_assert_ne!(out, alloc::vec![idx(2)]);
            }
        }
    }

    #[test]
    fn every_byte_change_of_a_trustee_set_is_caught(pos in 0usize..400, flip in 1u8..=255) {
        let (outputs, ct, p) = fixture();
        let mut bytes = outputs[0].trustees.to_bytes();
        let pos = pos % bytes.len();
        bytes[pos] ^= flip;
        if let Ok(set) = TrusteeSet::from_bytes(&bytes) {
            prop_assert!(p.verify(&set, &ct).is_err());
        }
    }
}

#[test]
fn malformed_round1_and_records() {
    let mut rng = ChaCha20Rng::seed_from_u64(33);
    let p3 = DkgParameters::new(3, 3, b"shape").unwrap();
    let p2 = DkgParameters::new(3, 2, b"shape").unwrap();
    let (_, pkg) = dkg::part1(&p3, idx(1), &mut rng).unwrap();
    // Three commitments offered where the threshold is 2.
    assert_eq!(
        pkg.verify(&p2),
        Err(Error::ParticipantFailed {
            index: 1,
            check: "round-1 commitment count differs from the threshold"
        })
    );
    // A participant whose own package is replaced in the broadcast list.
    let (s1, round1): (Vec<_>, Vec<_>) = ParticipantIndex::range(3)
        .map(|i| dkg::part1(&p2, i, &mut rng).unwrap())
        .unzip();
    let (_, other1) = dkg::part1(&p2, idx(1), &mut rng).unwrap();
    let altered = [other1, round1[1].clone(), round1[2].clone()];
    assert_eq!(
        dkg::part2(s1.into_iter().next().unwrap(), &altered, &mut rng).unwrap_err(),
        Error::ParticipantFailed {
            index: 1,
            check: "own round-1 package was altered"
        }
    );
    // A forged sequence count cannot trigger a large allocation.
    let forged_count = |version| {
        let mut w = crate::encoding::Writer::new();
        w.header(crate::encoding::Tag::DkgTranscript, version);
        p2.encode(&mut w);
        w.u32(u32::MAX);
        DkgTranscript::from_bytes(&w.into_bytes())
    };
    assert!(matches!(forged_count(2), Err(Error::UnexpectedEnd { .. })));
    // Version 1 records (unsigned round-2 packages) are no longer accepted.
    assert_eq!(
        forged_count(1),
        Err(Error::UnsupportedVersion {
            what: "dkg::DkgTranscript",
            found: 1
        })
    );
    let run = run_cheated(3, 2, b"shape", 37, 1, 2);
    let mut unsigned = run.round2[0].to_bytes();
    unsigned[1] = 1;
    unsigned.truncate(unsigned.len() - crate::proofs::SCHNORR_PROOF_LEN);
    assert_eq!(
        dkg::round2::Package::from_bytes(&unsigned),
        Err(Error::UnsupportedVersion {
            what: "dkg::round2::Package",
            found: 1
        })
    );
    // Parameters with a bad threshold do not decode.
    let mut bytes = p2.to_bytes();
    bytes[4..6].copy_from_slice(&9u16.to_le_bytes());
    assert!(matches!(
        DkgParameters::from_bytes(&bytes),
        Err(Error::InvalidParameter { .. })
    ));
    // Index 0 does not decode.
    let mut bytes = pkg.to_bytes();
    bytes[2..4].copy_from_slice(&0u16.to_le_bytes());
    assert!(matches!(
        dkg::round1::Package::from_bytes(&bytes),
        Err(Error::InvalidParameter { .. })
    ));
}

/// Issue #16: a key generation keeps working when someone who is not needed
/// (a third party, or a participant posting under another's index) sends
/// garbage, duplicates or another key generation's messages in any round.
/// Every honest participant ends with the same trustee set as without the
/// noise, and the transcript holds only the participants' own messages.
#[test]
fn dkg_ignores_garbage_duplicates_and_replays() {
    let (n, t) = (4u16, 2u16);
    let params = DkgParameters::new(n, t, b"hostile dkg").unwrap();
    let other = DkgParameters::new(n, t, b"another key generation").unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1616);
    let (s1, round1): (Vec<_>, Vec<_>) = ParticipantIndex::range(n)
        .map(|i| dkg::part1(&params, i, &mut rng).unwrap())
        .unzip();
    // Round 1 as received: another key generation's package under
    // participant 2's index (first), garbage under participant 3's index
    // (participant 4's package relabelled), a copy of participant 1's
    // package, and a package from an index outside 1..=n.
    let (_, replay) = dkg::part1(&other, idx(2), &mut rng).unwrap();
    let mut garbage = round1[3].clone();
    garbage.index = idx(3);
    let mut outsider = round1[0].clone();
    outsider.index = idx(n + 1);
    let mut received1 = alloc::vec![replay, garbage, round1[0].clone(), outsider];
    received1.extend(round1.iter().cloned());
    let (s2, round2): (Vec<_>, Vec<_>) = s1
        .into_iter()
        .map(|s| dkg::part2(s, &received1, &mut rng).unwrap())
        .unzip();
    // Round 2 as received: a copy, a package under an unknown dealer index,
    // and dealer 1's package relabelled as dealer 2's (bad signature).
    let mut unknown = round2[0].clone();
    unknown.dealer = idx(n + 1);
    let mut relabelled = round2[0].clone();
    relabelled.dealer = idx(2);
    let mut received2 = alloc::vec![relabelled, unknown, round2[2].clone()];
    received2.extend(round2.iter().cloned());
    let (s3, complaints): (Vec<_>, Vec<_>) = s2
        .into_iter()
        .map(|s| dkg::part3(s, &received2, &mut rng).unwrap())
        .unzip();
    let honest: Vec<Complaint> = complaints.into_iter().flatten().collect();
    assert!(honest.is_empty());
    // Complaints as received: participant 1's complaint against 2 from
    // another key generation with the same participants (its proof is for
    // another transcript), twice, under participant 1's index.
    let forged = {
        let run = run_cheated(n, t, b"another key generation", 1617, 2, 1);
        run.complaints[0].clone()
    };
    assert_eq!((forged.accuser(), forged.accused()), (idx(1), idx(2)));
    let received3 = [forged.clone(), forged];
    let outputs: Vec<DkgOutput> = s3
        .into_iter()
        .map(|s| dkg::finish(s, &received3, &mut rng).unwrap())
        .collect();
    let reference = outputs[0].trustees.clone();
    assert!(outputs.iter().all(|o| o.trustees == reference));
    assert_eq!(reference.verification_shares().len(), usize::from(n));
    let transcript = &outputs[0].transcript;
    assert_eq!(transcript.round1, round1);
    assert_eq!(transcript.round2.len(), usize::from(n));
    assert!(transcript.complaints.is_empty());
    assert_eq!(transcript.verify(&mut rng).unwrap(), reference);
    // The shares decrypt: any t of them.
    let ct = encrypt(&reference, 7, 70);
    let ps = partials(&[&outputs[1], &outputs[3]], &reference, &ct, &mut rng);
    assert_eq!(
        combine(&reference, &ct, &ps, &mut rng).unwrap().plaintext,
        Scalar::from(7u64) * G
    );
}
