//! Tests of the threshold beacon (spec/beacon.md §2).

use alloc::vec::Vec;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use super::*;
use crate::beacon::Registrations;
use crate::trustees::dkg::{DkgOutput, DkgParameters};
use crate::trustees::simulate::run_locally;
use crate::trustees::ParticipantIndex;

fn setup(n: u16, t: u16, mode: ChainMode, seed: u64) -> (BeaconParameters, Vec<DkgOutput>) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let dkg = DkgParameters::new(n, t, b"beacon test").unwrap();
    let outputs = run_locally(&dkg, &mut rng).unwrap();
    let params = BeaconParameters::new(outputs[0].trustees.clone(), mode, [7u8; 32]);
    (params, outputs)
}

/// The round a verification result names as failed, if it failed with
/// [`Error::RoundFailed`].
fn failed_round<T>(result: Result<T>) -> Option<u64> {
    match result {
        Err(Error::RoundFailed { round, .. }) => Some(round),
        _ => None,
    }
}

fn partials(
    params: &BeaconParameters,
    outputs: &[DkgOutput],
    who: &[usize],
    round: u64,
    previous: Option<&BeaconOutput>,
    rng: &mut ChaCha20Rng,
) -> Vec<BeaconPartial> {
    who.iter()
        .map(|&i| {
            BeaconPartial::produce(
                params,
                &outputs[i].share,
                round,
                previous,
                &Registrations::none(),
                rng,
            )
            .unwrap()
        })
        .collect()
}

fn chain(
    params: &BeaconParameters,
    outputs: &[DkgOutput],
    rounds: u64,
    rng: &mut ChaCha20Rng,
) -> BeaconRecord {
    let mut out = Vec::new();
    let mut previous: Option<BeaconOutput> = None;
    let all: Vec<usize> = (0..outputs.len()).collect();
    for r in 1..=rounds {
        let prev = match params.mode() {
            ChainMode::Chained => previous.as_ref(),
            ChainMode::Unchained => None,
        };
        let ps = partials(params, outputs, &all, r, prev, rng);
        let c = combine(params, r, prev, &Registrations::none(), &ps, rng).unwrap();
        assert!(c.rejected.is_empty());
        previous = Some(c.round.output);
        out.push(c.round);
    }
    BeaconRecord {
        parameters: params.clone(),
        rounds: out,
    }
}

#[test]
fn every_t_subset_gives_the_same_sigma_and_output() {
    let (params, outputs) = setup(5, 3, ChainMode::Chained, 1);
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let all = partials(&params, &outputs, &[0, 1, 2, 3, 4], 1, None, &mut rng);
    let mut results = Vec::new();
    for a in 0..5 {
        for b in a + 1..5 {
            for c in b + 1..5 {
                let subset = [all[a].clone(), all[b].clone(), all[c].clone()];
                let combined =
                    combine(&params, 1, None, &Registrations::none(), &subset, &mut rng).unwrap();
                verify_round(&params, &combined.round, None, &mut rng).unwrap();
                results.push((combined.round.sigma, combined.round.output));
            }
        }
    }
    assert_eq!(results.len(), 10);
    assert!(results.iter().all(|r| *r == results[0]));

    // σ is s·H_r for the joint secret s = Σ λⱼ sⱼ.
    let ctx = params
        .round_context(1, None, &Registrations::none())
        .unwrap();
    let ids: Vec<_> = (1..=3).map(|i| ParticipantIndex::new(i).unwrap()).collect();
    let lambdas = crate::trustees::lagrange_coefficients(&ids).unwrap();
    let s: Scalar = lambdas
        .iter()
        .zip(&outputs[..3])
        .map(|(l, o)| l * o.share.value())
        .sum();
    assert_eq!(EncodedPoint::new(s * ctx.base.point()), results[0].0);
}

use curve25519_dalek::scalar::Scalar;

#[test]
fn fewer_than_t_partials_do_not_combine() {
    let (params, outputs) = setup(5, 3, ChainMode::Chained, 3);
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let two = partials(&params, &outputs, &[1, 4], 1, None, &mut rng);
    assert_eq!(
        combine(&params, 1, None, &Registrations::none(), &two, &mut rng),
        Err(Error::BelowThreshold {
            threshold: 3,
            available: 2
        })
    );
}

#[test]
fn forged_partial_is_named_and_excluded() {
    let (params, outputs) = setup(5, 3, ChainMode::Chained, 5);
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let mut ps = partials(&params, &outputs, &[0, 1, 2, 3], 1, None, &mut rng);
    // Trustee 2 publishes a different point with its old proof.
    ps[1].evaluation.point = crate::proofs::EncodedPoint::new(
        ps[1].evaluation.point.point() + curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT,
    );
    let combined = combine(&params, 1, None, &Registrations::none(), &ps, &mut rng).unwrap();
    assert_eq!(combined.rejected.len(), 1);
    assert_eq!(combined.rejected[0].0, 2);
    assert!(matches!(
        combined.rejected[0].1,
        Error::ParticipantFailed { index: 2, .. }
    ));
    let used: Vec<u16> = combined
        .round
        .partials()
        .iter()
        .map(|p| p.index.get())
        .collect();
    assert_eq!(used, [1, 3, 4]);
    // Same output as any honest subset.
    let honest = partials(&params, &outputs, &[0, 1, 2], 1, None, &mut rng);
    let reference = combine(&params, 1, None, &Registrations::none(), &honest, &mut rng).unwrap();
    assert_eq!(combined.round.output, reference.round.output);

    // A partial for another round is excluded too.
    let mut ps = partials(&params, &outputs, &[0, 1, 2], 1, None, &mut rng);
    ps.push(
        partials(
            &params,
            &outputs,
            &[3],
            2,
            Some(&reference.round.output),
            &mut rng,
        )
        .remove(0),
    );
    let combined = combine(&params, 1, None, &Registrations::none(), &ps, &mut rng).unwrap();
    assert!(matches!(
        combined.rejected[..],
        [(4, Error::RoundFailed { round: 2, .. })]
    ));
}

#[test]
fn chain_verifies_and_links_rounds() {
    let (params, outputs) = setup(5, 3, ChainMode::Chained, 7);
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let record = chain(&params, &outputs, 6, &mut rng);
    let outs = verify_chain(&record, &mut rng).unwrap();
    assert_eq!(outs.len(), 6);
    let distinct: alloc::collections::BTreeSet<_> = outs.iter().collect();
    assert_eq!(distinct.len(), 6);

    // Round 4 verifies only after round 3's output.
    let r4 = &record.rounds[3];
    verify_round(&params, r4, Some(&outs[2]), &mut rng).unwrap();
    assert!(verify_round(&params, r4, Some(&outs[1]), &mut rng).is_err());
    assert!(verify_round(&params, r4, None, &mut rng).is_err());

    // The verified chain is the beacon source of a draw.
    let verified = record.verify(&mut rng).unwrap();
    assert_eq!(verified.verified_output(4).unwrap(), outs[3]);
    assert_eq!(failed_round(verified.verified_output(7)), Some(7));
    assert_eq!(verified.outputs().count(), 6);

    // Encoding round trip.
    let bytes = record.to_bytes();
    assert_eq!(BeaconRecord::from_bytes(&bytes).unwrap(), record);
}

#[test]
fn rewritten_history_is_detected() {
    let (params, outputs) = setup(4, 2, ChainMode::Chained, 9);
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let record = chain(&params, &outputs, 4, &mut rng);

    // Swap two rounds: out of order.
    let mut swapped = record.clone();
    swapped.rounds.swap(1, 2);
    assert_eq!(failed_round(verify_chain(&swapped, &mut rng)), Some(3));

    // Replace round 2 with a valid round 2 of a different history: round 2
    // itself fails against round 1's output.
    let other = chain(
        &BeaconParameters::new(params.trustees().clone(), ChainMode::Chained, [8u8; 32]),
        &outputs,
        2,
        &mut rng,
    );
    let mut forged = record.clone();
    forged.rounds[1] = other.rounds[1].clone();
    assert_eq!(failed_round(verify_chain(&forged, &mut rng)), Some(2));

    // Altering an output breaks its round.
    let mut tampered = record.clone();
    tampered.rounds[2].output.0[0] ^= 1;
    assert!(matches!(
        verify_chain(&tampered, &mut rng),
        Err(Error::RoundFailed { round: 3, check }) if check.contains("hash of sigma")
    ));

    // Altering σ (and recomputing the output) breaks the interpolation.
    let mut tampered = record.clone();
    let g = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    tampered.rounds[2].sigma = EncodedPoint::new(tampered.rounds[2].sigma.point() + g);
    tampered.rounds[2].output = params.output(3, tampered.rounds[2].sigma());
    assert_eq!(failed_round(verify_chain(&tampered, &mut rng)), Some(3));

    // Dropping a partial: fewer than t.
    let mut short = record.clone();
    short.rounds[0].partials.pop();
    assert_eq!(failed_round(verify_chain(&short, &mut rng)), Some(1));
}

#[test]
fn folded_checks_keep_every_equation() {
    let (params, outputs) = setup(5, 3, ChainMode::Chained, 21);
    let mut rng = ChaCha20Rng::seed_from_u64(22);
    // Rounds combined by different trustee sets verify in one batch: the
    // interpolation coefficients follow each round's index set.
    let mut previous: Option<BeaconOutput> = None;
    let mut rounds = Vec::new();
    for (r, set) in [
        (1u64, [0usize, 1, 2]),
        (2, [1, 3, 4]),
        (3, [1, 3, 4]),
        (4, [0, 1, 2]),
    ] {
        let ps = partials(&params, &outputs, &set, r, previous.as_ref(), &mut rng);
        let round = combine(
            &params,
            r,
            previous.as_ref(),
            &Registrations::none(),
            &ps,
            &mut rng,
        )
        .unwrap()
        .round;
        previous = Some(round.output);
        rounds.push(round);
    }
    let record = BeaconRecord {
        parameters: params.clone(),
        rounds,
    };
    assert_eq!(verify_chain(&record, &mut rng).unwrap().len(), 4);

    // σⱼ + Δ with σ + λⱼ·Δ keeps the interpolation; σⱼ's term merges the
    // two equations, yet the partial's DLEQ proof still fails the round.
    let mut shifted = record.clone();
    let round = &mut shifted.rounds[1];
    let ids: Vec<_> = round.partials.iter().map(|p| p.index).collect();
    let lambdas = crate::trustees::lagrange_coefficients(&ids).unwrap();
    let delta = RISTRETTO_BASEPOINT_POINT;
    round.partials[0].point = EncodedPoint::new(round.partials[0].point.point() + delta);
    round.sigma = EncodedPoint::new(round.sigma.point() + lambdas[0] * delta);
    round.output = params.output(2, round.sigma());
    let previous = Some(record.rounds[0].output);
    assert_eq!(
        failed_round(verify_round(
            &params,
            &shifted.rounds[1],
            previous.as_ref(),
            &mut rng
        )),
        Some(2)
    );
    assert_eq!(failed_round(verify_chain(&shifted, &mut rng)), Some(2));

    // A trustee's valid partial of another round: its proof is bound to
    // that round's input.
    let mut swapped = record.clone();
    swapped.rounds[2].partials[0] = record.rounds[1].partials[0].clone();
    assert_eq!(failed_round(verify_chain(&swapped, &mut rng)), Some(3));
}

#[test]
fn unchained_rounds_are_independent() {
    let (params, outputs) = setup(3, 2, ChainMode::Unchained, 11);
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let record = chain(&params, &outputs, 3, &mut rng);
    verify_chain(&record, &mut rng).unwrap();
    // Any single round verifies alone, and a subset of rounds is a valid record.
    verify_round(&params, &record.rounds[2], None, &mut rng).unwrap();
    let subset = BeaconRecord {
        parameters: params.clone(),
        rounds: alloc::vec![record.rounds[0].clone(), record.rounds[2].clone()],
    };
    verify_chain(&subset, &mut rng).unwrap();
    let mut reversed = subset.clone();
    reversed.rounds.reverse();
    assert_eq!(failed_round(verify_chain(&reversed, &mut rng)), Some(1));
}

#[test]
fn round_zero_and_parameter_errors() {
    let (params, outputs) = setup(3, 2, ChainMode::Chained, 13);
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    assert!(matches!(
        BeaconPartial::produce(
            &params,
            &outputs[0].share,
            0,
            None,
            &Registrations::none(),
            &mut rng
        ),
        Err(Error::InvalidParameter { .. })
    ));
    assert_eq!(
        failed_round(BeaconPartial::produce(
            &params,
            &outputs[0].share,
            2,
            None,
            &Registrations::none(),
            &mut rng
        )),
        Some(2)
    );
    let bytes = params.to_bytes();
    assert_eq!(BeaconParameters::from_bytes(&bytes).unwrap(), params);
    let mut bad_mode = bytes.clone();
    let mode_at = bad_mode.len() - 33;
    bad_mode[mode_at] = 9;
    assert!(matches!(
        BeaconParameters::from_bytes(&bad_mode),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn partial_from_other_chain_or_context_is_rejected() {
    let (params, outputs) = setup(3, 2, ChainMode::Chained, 15);
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let p = BeaconPartial::produce(
        &params,
        &outputs[0].share,
        1,
        None,
        &Registrations::none(),
        &mut rng,
    )
    .unwrap();
    p.verify(&params, None, &Registrations::none()).unwrap();
    let other = BeaconParameters::new(params.trustees().clone(), ChainMode::Chained, [0u8; 32]);
    assert!(p.verify(&other, None, &Registrations::none()).is_err());
    let unchained =
        BeaconParameters::new(params.trustees().clone(), ChainMode::Unchained, [7u8; 32]);
    assert!(p.verify(&unchained, None, &Registrations::none()).is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Every single-byte change of an encoded round is rejected: it fails to
    /// decode or to verify.
    #[test]
    fn tampered_round_bytes_are_rejected(pos in 0usize..10_000, xor in 1u8..=255) {
        let (params, outputs) = setup(3, 2, ChainMode::Chained, 17);
        let mut rng = ChaCha20Rng::seed_from_u64(18);
        let record = chain(&params, &outputs, 1, &mut rng);
        let mut bytes = record.rounds[0].to_bytes();
        let i = pos % bytes.len();
        bytes[i] ^= xor;
        if let Ok(round) = BeaconRound::from_bytes(&bytes) {
            proptest::prop_assert!(verify_round(&params, &round, None, &mut rng).is_err());
        }
    }
}

/// Regression: `verify_chain` reserved `4·t·rounds` batch terms (192 bytes
/// each) before looking at any round. A record whose trustee set has
/// `t = 1024` (a constant polynomial makes every share consistent) and
/// 100 000 empty rounds — under 8 MB — asked for about 79 GB and aborted
/// the verifier. The reservation now follows the partials actually present.
#[test]
fn huge_threshold_and_many_rounds_do_not_exhaust_memory() {
    use crate::encoding::{Tag, Writer};
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;

    const T: u16 = crate::trustees::MAX_PARTICIPANTS;
    const ROUNDS: u64 = 100_000;
    let mut w = Writer::new();
    w.header(Tag::BeaconRecord, VERSION);
    w.header(Tag::BeaconParameters, VERSION);
    w.header(Tag::TrusteeSet, 1);
    w.header(Tag::DkgParameters, 1);
    w.raw(&T.to_le_bytes());
    w.raw(&T.to_le_bytes());
    w.bytes(b"");
    w.point(&G);
    w.len(usize::from(T));
    for j in 1..=T {
        w.raw(&j.to_le_bytes());
        w.point(&G);
    }
    w.u8(2); // unchained
    w.raw(&[0; 32]);
    w.len(ROUNDS as usize);
    for r in 1..=ROUNDS {
        w.header(Tag::BeaconRound, VERSION);
        w.u64(r);
        w.len(0); // no registrations
        w.len(0);
        w.point(&G);
        w.raw(&[0; 32]);
    }
    let record = BeaconRecord::from_bytes(&w.into_bytes()).unwrap();
    assert_eq!(record.parameters.trustees().threshold(), usize::from(T));
    let mut rng = ChaCha20Rng::seed_from_u64(99);
    assert_eq!(
        verify_chain(&record, &mut rng),
        Err(Error::RoundFailed {
            round: 1,
            check: "a round combines exactly t partials"
        })
    );
}

/// Issue #16, attack 2: anyone on the network sends a garbage partial
/// carrying an honest trustee's index ahead of the real one, plus a
/// duplicate and another round's partial. The round combines, publishes
/// exactly the partials it interpolated, and every round of the chain
/// (and so every draw seeded from it) still verifies.
#[test]
fn garbage_partial_under_an_honest_index_leaves_the_chain_verifiable() {
    let (params, outputs) = setup(5, 3, ChainMode::Chained, 21);
    let mut rng = ChaCha20Rng::seed_from_u64(22);
    let mut previous: Option<BeaconOutput> = None;
    let mut rounds = Vec::new();
    for r in 1..=3u64 {
        let honest = partials(
            &params,
            &outputs,
            &[0, 1, 2, 3],
            r,
            previous.as_ref(),
            &mut rng,
        );
        // A garbage point under trustee 1's index, with trustee 2's proof.
        let mut garbage = honest[1].clone();
        garbage.evaluation.index = honest[0].evaluation.index;
        garbage.evaluation.point = crate::proofs::EncodedPoint::new(
            curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT,
        );
        // Another round's partial of trustee 5 (not needed for t = 3): a
        // replay of round 1's first partial, or round 1's for round 1.
        let genesis = partials(&params, &outputs, &[4], 1, None, &mut rng).remove(0);
        let stale = match &previous {
            Some(out) => partials(&params, &outputs, &[4], r + 1, Some(out), &mut rng).remove(0),
            None => BeaconPartial {
                round: 2,
                ..genesis
            },
        };
        let mut received = alloc::vec![garbage, stale];
        received.extend(honest.iter().cloned());
        received.push(honest[0].clone()); // a duplicate of trustee 1
        let combined = combine(
            &params,
            r,
            previous.as_ref(),
            &Registrations::none(),
            &received,
            &mut rng,
        )
        .unwrap();
        assert_eq!(combined.rejected.len(), 3, "garbage, stale and duplicate");
        let published: Vec<&ShareEvaluation> = combined.round.partials().iter().collect();
        let expected: Vec<&ShareEvaluation> = honest[..3].iter().map(|p| &p.evaluation).collect();
        assert_eq!(published, expected, "exactly the partials interpolated");
        verify_round(&params, &combined.round, previous.as_ref(), &mut rng).unwrap();
        // Same output as the honest partials alone.
        let reference = combine(
            &params,
            r,
            previous.as_ref(),
            &Registrations::none(),
            &honest,
            &mut rng,
        )
        .unwrap();
        assert_eq!(combined.round.output, reference.round.output);
        previous = Some(combined.round.output);
        rounds.push(combined.round);
    }
    let record = BeaconRecord {
        parameters: params.clone(),
        rounds,
    };
    assert_eq!(verify_chain(&record, &mut rng).unwrap().len(), 3);
}
