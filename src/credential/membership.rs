//! One-of-many membership proofs with a linking tag (spec/credential.md §4).
//!
//! The construction is the Groth–Kohlweiss / Bootle et al. one-out-of-many
//! proof with binary decomposition (`n = 2`, `m = ⌈log₂ N⌉`), extended with
//! a linking tag in the manner of Triptych / Lelantus:
//!
//! * the set `P₀ … P_{N−1}` is padded to `N' = 2^m` by repeating the last
//!   key, `P_i = P_{N−1}` for `N ≤ i < N'`;
//! * bits are committed with the vector Pedersen commitment
//!   `Com(v; r) = r·G + Σ_{j,i} v_{j,i}·H_{j,i}`;
//! * `A, B, C, D` commit to `a_{j,i}`, `σ_{j,i} = [l_j = i]`,
//!   `a_{j,i}(1 − 2σ_{j,i})` and `−a_{j,i}²` with `a_{j,0} = −a_{j,1}`;
//! * `G_k = Σ_i p_{i,k}·P_i + ρ_k·G` and `Q_k = ρ_k·H_ctx` for `k < m`,
//!   where `p_i(x) = Π_j f_{j,i_j}(x)`, `f_{j,i}(x) = σ_{j,i}·x + a_{j,i}`;
//! * after the challenge `x`: `f_j = f_{j,1}`, `z_A = r_B·x + r_A`,
//!   `z_C = r_C·x + r_D`, `z = sk·x^m − Σ_k ρ_k·x^k`.
//!
//! The verifier sets `f_{j,0} = x − f_j` and checks the four equations
//! listed at [`MembershipProof::verify`], folded with weights into one
//! multiscalar multiplication. Equations (1) and (2) share `z` and the powers
//! `x^k`, which ties the key `P_l = sk·G` to the tag `T = sk·H_ctx`.

use alloc::vec;
use alloc::vec::Vec;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::MultiscalarMul;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, Zeroizing};

use super::keys::{tag_base, CitizenSecretKey, LinkingTag};
use super::set::{AnonymitySet, MAX_DEPTH};
use crate::batch::BatchVerifier;
use crate::encoding::{Decode, Encode, Reader, Tag, Writer};
use crate::error::{Error, Result};
use crate::parallel::Parallelism;
use crate::proofs::EncodedPoint;
use crate::transcript::{new_transcript, TranscriptProtocol};
use crate::wide::{limbs, WideSum, WIDE_PRODUCTS};

/// Transcript protocol label of membership proofs.
pub const PROTOCOL_LABEL: &[u8] = b"kleroterion/credential/membership";
/// Transcript protocol version of membership proofs.
pub const PROTOCOL_VERSION: u64 = 1;
/// Name used in verification errors.
const PROOF_NAME: &str = "credential membership";

/// A proof that the holder of one key of an [`AnonymitySet`] made the
/// linking tag `T = sk·H_ctx` for a context and signed a message, without
/// revealing which key (spec/credential.md §4).
///
/// Size: `3 + 32·(8 + 3m)` bytes for a set of depth `m` (1,795 bytes at
/// `N = 2^16`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipProof {
    tag: LinkingTag,
    commitments: Commitments,
    f: Vec<Scalar>,
    z_a: Scalar,
    z_c: Scalar,
    z: Scalar,
}

/// The statement part of the transcript (spec/credential.md §4.2), shared by
/// prover and verifier.
fn statement_transcript(
    set: &AnonymitySet,
    context: &[u8],
    h_ctx: &RistrettoPoint,
    tag: &LinkingTag,
    message: &[u8],
) -> Transcript {
    let mut t = new_transcript(context);
    t.domain_sep(PROTOCOL_LABEL, PROTOCOL_VERSION);
    t.append_bytes(b"set", set.commitment());
    t.append_u64_le(b"N", set.len() as u64);
    t.append_u64_le(b"m", set.depth() as u64);
    t.append_point(b"H-ctx", h_ctx);
    t.append_bytes(b"T", tag.as_bytes());
    t.append_bytes(b"message", message);
    t
}

/// The first-move commitments, kept with their encodings (computed once by
/// the prover, or kept from decoding) for the transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Commitments {
    a: EncodedPoint,
    b: EncodedPoint,
    c: EncodedPoint,
    d: EncodedPoint,
    g: Vec<EncodedPoint>,
    q: Vec<EncodedPoint>,
}

impl Commitments {
    /// All commitments in transcript and encoding order.
    fn iter(&self) -> impl Iterator<Item = &EncodedPoint> {
        [&self.a, &self.b, &self.c, &self.d]
            .into_iter()
            .chain(&self.g)
            .chain(&self.q)
    }

    /// Appends the commitments (spec §4.2) and returns the challenge `x`.
    fn challenge(&self, t: &mut Transcript) -> Scalar {
        for (label, p) in [b"A", b"B", b"C", b"D"]
            .into_iter()
            .zip([&self.a, &self.b, &self.c, &self.d])
        {
            t.append_compressed(label, p.encoding());
        }
        for gk in &self.g {
            t.append_compressed(b"G", gk.encoding());
        }
        for qk in &self.q {
            t.append_compressed(b"Q", qk.encoding());
        }
        t.challenge_scalar(b"x")
    }
}

/// `[x⁰, x¹, …, x^m]`.
fn powers(x: &Scalar, m: usize) -> Vec<Scalar> {
    core::iter::successors(Some(Scalar::ONE), |p| Some(p * x))
        .take(m + 1)
        .collect()
}

/// Evaluates the product tree `root · Π_j factor(j, i_j)` for the indices
/// `0 ≤ i < count` (bit `j` of `i` selects the factor of level `j`), with
/// `2·count + O(m)` multiplications: level `j` (most significant first)
/// only expands the prefixes that lead to an index below `count`.
/// Intermediate levels are zeroized (the prover's entries are secret).
fn product_tree<T: Zeroize>(
    root: T,
    depth: usize,
    count: usize,
    mul: impl Fn(&T, usize, usize) -> T,
) -> Vec<T> {
    let mut level = vec![root];
    for j in (0..depth).rev() {
        let needed = count.div_ceil(1 << j);
        let next = level
            .iter()
            .flat_map(|v| [mul(v, j, 0), mul(v, j, 1)])
            .take(needed)
            .collect();
        level.zeroize();
        level = next;
    }
    level.truncate(count);
    level
}

/// `Com(v; r) = r·G + Σ_{j,i} v_{j,i}·H_{j,i}` with `v_{j,i} = value(a_{j,i}, σ_{j,i})`,
/// in constant time (the values depend on the secret index).
fn commit_bits(
    blind: &Scalar,
    gens: &[RistrettoPoint],
    a: &[[Scalar; 2]],
    sigma: &[[Scalar; 2]],
    value: impl Fn(&Scalar, &Scalar) -> Scalar,
) -> RistrettoPoint {
    let values: Zeroizing<Vec<Scalar>> = Zeroizing::new(
        a.iter()
            .flatten()
            .zip(sigma.iter().flatten())
            .map(|(aji, sji)| value(aji, sji))
            .collect(),
    );
    RistrettoPoint::multiscalar_mul(
        core::iter::once(blind).chain(values.iter()),
        core::iter::once(&RISTRETTO_BASEPOINT_POINT).chain(gens),
    )
}

impl MembershipProof {
    /// Proves that the holder of `sk` is a member of `set`, producing the
    /// linking tag `sk·H_ctx` of `context` and binding `message` (e.g. a
    /// ballot hash).
    ///
    /// Refuses with [`Error::InvalidParameter`] when `sk`'s public key is not
    /// in the set. Secret-dependent arithmetic (the index lookup, the
    /// polynomial coefficients and the `G_k` multiscalar multiplications) is
    /// constant-time.
    pub fn prove<R: RngCore + CryptoRng>(
        set: &AnonymitySet,
        sk: &CitizenSecretKey,
        context: &[u8],
        message: &[u8],
        rng: &mut R,
    ) -> Result<Self> {
        let index = set
            .position_ct(&sk.public_key())
            .ok_or(Error::InvalidParameter {
                what: "the prover's public key is not in the anonymity set",
            })?;
        Ok(Self::prove_at(set, index, sk, context, message, rng))
    }

    /// The prover for a given index; `prove` checks membership first.
    pub(super) fn prove_at<R: RngCore + CryptoRng>(
        set: &AnonymitySet,
        index: usize,
        sk: &CitizenSecretKey,
        context: &[u8],
        message: &[u8],
        rng: &mut R,
    ) -> Self {
        let m = set.depth();
        let n = set.len();
        let h_ctx = tag_base(context);
        let tag = LinkingTag::from_point(sk.scalar() * h_ctx);
        let mut t = statement_transcript(set, context, &h_ctx, &tag, message);

        // Hedge the randomness with the witness (merlin's transcript RNG).
        let mut trng = t
            .build_rng()
            .rekey_with_witness_bytes(b"sk", sk.scalar().as_bytes())
            .rekey_with_witness_bytes(b"l", &(index as u64).to_le_bytes())
            .finalize(rng);
        let rng = &mut trng;

        // σ_{j,i} = [l_j = i] as scalars, a_{j,1} random, a_{j,0} = −a_{j,1}.
        let sigma: Zeroizing<Vec<[Scalar; 2]>> = Zeroizing::new(
            (0..m)
                .map(|j| {
                    let bit = Scalar::from(((index >> j) & 1) as u64);
                    [Scalar::ONE - bit, bit]
                })
                .collect(),
        );
        let a: Zeroizing<Vec<[Scalar; 2]>> = Zeroizing::new(
            (0..m)
                .map(|_| {
                    let a1 = Scalar::random(rng);
                    [-a1, a1]
                })
                .collect(),
        );
        let mut r = Zeroizing::new([Scalar::ZERO; 4]);
        for ri in r.iter_mut() {
            *ri = Scalar::random(rng);
        }
        let [r_a, r_b, r_c, r_d] = &*r;
        let rho: Zeroizing<Vec<Scalar>> =
            Zeroizing::new((0..m).map(|_| Scalar::random(rng)).collect());

        let two = Scalar::from(2u64);
        let pick = |v: &[Scalar; 2], i: usize| v.get(i).copied().unwrap_or(Scalar::ZERO);
        let gens = set.generators();
        let big_a = commit_bits(r_a, gens, &a, &sigma, |aji, _| *aji);
        let big_b = commit_bits(r_b, gens, &a, &sigma, |_, sji| *sji);
        let big_c = commit_bits(r_c, gens, &a, &sigma, |aji, sji| {
            aji * (Scalar::ONE - two * sji)
        });
        let big_d = commit_bits(r_d, gens, &a, &sigma, |aji, _| -(aji * aji));

        // Coefficients of p_i(x) = Π_j (σ_{j,i_j}·x + a_{j,i_j}) for i < N − 1;
        // the padded tail i ≥ N − 1 all map to P_{N−1}, whose coefficient is
        // [k = m] − Σ_{i<N−1} p_{i,k} because Σ_i p_i(x) = x^m.
        let mut root = vec![Scalar::ZERO; m + 1];
        if let Some(c0) = root.first_mut() {
            *c0 = Scalar::ONE;
        }
        let polys = Zeroizing::new(product_tree(root, m, n - 1, |p: &Vec<Scalar>, j, b| {
            let s = a
                .get(j)
                .zip(sigma.get(j))
                .map_or((Scalar::ZERO, Scalar::ZERO), |(aj, sj)| {
                    (pick(aj, b), pick(sj, b))
                });
            // (σx + a)·p: new[k] = a·p[k] + σ·p[k−1].
            let shifted = core::iter::once(&Scalar::ZERO).chain(p.iter());
            p.iter()
                .zip(shifted)
                .map(|(pk, pk1)| s.0 * pk + s.1 * pk1)
                .collect()
        }));
        let g = column_commitments(set, &polys, &rho, Parallelism::default());
        let commitments = Commitments {
            a: EncodedPoint::new(big_a),
            b: EncodedPoint::new(big_b),
            c: EncodedPoint::new(big_c),
            d: EncodedPoint::new(big_d),
            g,
            q: rho
                .iter()
                .map(|rho_k| EncodedPoint::new(rho_k * h_ctx))
                .collect(),
        };
        let x = commitments.challenge(&mut t);
        let xp = powers(&x, m);
        let f = a
            .iter()
            .zip(sigma.iter())
            .map(|(aj, sj)| pick(sj, 1) * x + pick(aj, 1))
            .collect();
        let x_m = xp.last().copied().unwrap_or(Scalar::ONE);
        let z = sk.scalar() * x_m
            - rho
                .iter()
                .zip(xp.iter())
                .map(|(r, p)| r * p)
                .sum::<Scalar>();
        Self {
            tag,
            commitments,
            f,
            z_a: r_b * x + r_a,
            z_c: r_c * x + r_d,
            z,
        }
    }

    /// The linking tag `T = sk·H_ctx` this proof is about: record it in the
    /// context's [`TagRegistry`](super::TagRegistry) after verification.
    pub fn tag(&self) -> &LinkingTag {
        &self.tag
    }

    /// The depth `m` of the set this proof was made for.
    pub fn depth(&self) -> usize {
        self.f.len()
    }

    /// Verifies the proof against `set`, `context` and `message`.
    ///
    /// With `f_{j,0} = x − f_j`, `f_{j,1} = f_j`, `p_i(x) = Π_j f_{j,i_j}`
    /// and the padded keys `P_i = P_{min(i, N−1)}`, the four equations are
    ///
    /// ```text
    /// (1) Σ_{i<2^m} p_i(x)·P_i − Σ_k x^k·G_k − z·G           = 0
    /// (2) x^m·T − Σ_k x^k·Q_k − z·H_ctx                      = 0
    /// (3) A + x·B − Σ_{j,i} f_{j,i}·H_{j,i} − z_A·G          = 0
    /// (4) D + x·C − Σ_{j,i} f_{j,i}(x − f_{j,i})·H_{j,i} − z_C·G = 0
    /// ```
    ///
    /// folded into one multiscalar multiplication of `N + 4m + 7` terms
    /// with weights squeezed from the transcript after the whole proof
    /// (spec/credential.md §4.4).
    pub fn verify(&self, set: &AnonymitySet, context: &[u8], message: &[u8]) -> Result<()> {
        let mut acc = Accumulator::new(set, context);
        acc.add(self, message, |t| {
            t.append_proof_responses(self);
            let mut w = [Scalar::ZERO; 4];
            for wi in &mut w {
                *wi = t.challenge_scalar(b"verifier-weight");
            }
            w
        })?;
        if acc.finish() {
            Ok(())
        } else {
            Err(Error::VerificationFailed { proof: PROOF_NAME })
        }
    }

    /// Verifies many proofs over the same `set` and `context` (for example
    /// all ballots of one motion), each with its own message, with one
    /// multiscalar multiplication of `N + 2m + 2 + k·(2m + 5)` terms: each set
    /// key gets one summed coefficient across the batch. Each equation of
    /// each proof gets an independent random 128-bit weight.
    ///
    /// On failure, falls back to individual verification and reports the
    /// first invalid proof in [`Error::BatchVerificationFailed`].
    pub fn verify_batch<R: RngCore + CryptoRng>(
        set: &AnonymitySet,
        context: &[u8],
        items: &[(&[u8], &MembershipProof)],
        rng: &mut R,
    ) -> Result<()> {
        let mut acc = Accumulator::new(set, context);
        let mut ok = true;
        for (message, proof) in items {
            ok &= acc
                .add(proof, message, |_| {
                    let mut w = [Scalar::ZERO; 4];
                    for wi in &mut w {
                        *wi = BatchVerifier::weight(rng);
                    }
                    w
                })
                .is_ok();
        }
        if ok && acc.finish() {
            return Ok(());
        }
        let index = items
            .iter()
            .position(|(message, proof)| proof.verify(set, context, message).is_err());
        Err(Error::BatchVerificationFailed {
            proof: PROOF_NAME,
            index,
        })
    }
}

/// Appends the responses so that verifier weights depend on the whole proof.
trait AppendResponses {
    fn append_proof_responses(&mut self, proof: &MembershipProof);
}

impl AppendResponses for Transcript {
    fn append_proof_responses(&mut self, proof: &MembershipProof) {
        for fj in &proof.f {
            self.append_scalar(b"f", fj);
        }
        self.append_scalar(b"z_A", &proof.z_a);
        self.append_scalar(b"z_C", &proof.z_c);
        self.append_scalar(b"z", &proof.z);
    }
}

/// Folds the verification equations of proofs over one set and context into
/// a [`BatchVerifier`]; set keys get summed coefficients.
///
/// The key coefficients `Σ_proofs w_1·p_i(x)` are evaluated in
/// [`finish`](Self::finish) from two half-depth product trees per proof:
/// with `s = ⌊m/2⌋`, `i = h·2^s + l` and `p_i(x) = hi(h)·lo(l)` where
/// `hi(h) = w_1·Π_{j≥s} f_{j,i_j}` and `lo(l) = Π_{j<s} f_{j,i_j}`, each key
/// costs one multiplication and one addition per proof (the halves cost
/// `O(√N)`), instead of the `2N` multiplications of a full-depth tree. The
/// products are summed as unreduced 512-bit integers, up to [`WIDE_TERMS`]
/// proofs at a time, and reduced mod `ℓ` once per key.
struct Accumulator<'a> {
    set: &'a AnonymitySet,
    context: &'a [u8],
    h_ctx: RistrettoPoint,
    batch: BatchVerifier,
    g: crate::batch::FixedPoint,
    h: crate::batch::FixedPoint,
    gens: Vec<crate::batch::FixedPoint>,
    /// Per proof, `(hi, lo)` for the keys `i < N − 1`.
    halves: Vec<(Vec<Scalar>, Vec<Scalar>)>,
    /// `Σ_proofs w_1·x^m`, the sum of all `2^m` coefficients of each proof.
    total: Scalar,
}

impl<'a> Accumulator<'a> {
    fn new(set: &'a AnonymitySet, context: &'a [u8]) -> Self {
        let h_ctx = tag_base(context);
        let mut batch = BatchVerifier::with_capacity(set.len());
        let g = batch.fixed(RISTRETTO_BASEPOINT_POINT);
        let h = batch.fixed(h_ctx);
        let gens = set.generators().iter().map(|p| batch.fixed(*p)).collect();
        Self {
            set,
            context,
            h_ctx,
            batch,
            g,
            h,
            gens,
            halves: Vec::new(),
            total: Scalar::ZERO,
        }
    }

    /// Adds one proof's four equations with the weights from `weights`
    /// (called with the transcript after the challenge).
    fn add(
        &mut self,
        proof: &MembershipProof,
        message: &[u8],
        weights: impl FnOnce(&mut Transcript) -> [Scalar; 4],
    ) -> Result<()> {
        let m = self.set.depth();
        if proof.depth() != m {
            return Err(Error::LengthMismatch {
                what: "membership proof depth for this anonymity set",
                expected: m,
                actual: proof.depth(),
            });
        }
        let mut t = statement_transcript(self.set, self.context, &self.h_ctx, &proof.tag, message);
        let x = proof.commitments.challenge(&mut t);
        if x == Scalar::ZERO {
            return Err(Error::VerificationFailed { proof: PROOF_NAME });
        }
        let [w1, w2, w3, w4] = weights(&mut t);
        let xp = powers(&x, m);
        let x_m = xp.last().copied().unwrap_or(Scalar::ONE);
        let fs: Vec<[Scalar; 2]> = proof.f.iter().map(|fj| [x - fj, *fj]).collect();

        // (1): the halves of w1·p_i(x) for the keys i < N − 1 (see `finish`);
        // the padded tail is summed into P_{N−1} there.
        let f_at = |j: usize, b: usize| {
            fs.get(j)
                .and_then(|fj| fj.get(b))
                .copied()
                .unwrap_or(Scalar::ZERO)
        };
        let (low, width, head) = self.split();
        let hi = product_tree(w1, m - low, head.div_ceil(width), |v, j, b| {
            v * f_at(j + low, b)
        });
        let lo = product_tree(Scalar::ONE, low, head.min(width), |v, j, b| v * f_at(j, b));
        self.halves.push((hi, lo));
        self.total += w1 * x_m;
        let com = &proof.commitments;
        for ((gk, qk), xk) in com.g.iter().zip(com.q.iter()).zip(xp.iter()) {
            self.batch.add(-(w1 * xk), *gk.point());
            self.batch.add(-(w2 * xk), *qk.point());
        }
        self.batch
            .add_fixed(self.g, -(w1 * proof.z + w3 * proof.z_a + w4 * proof.z_c));
        // (2)
        self.batch.add(w2 * x_m, *proof.tag.point());
        self.batch.add_fixed(self.h, -(w2 * proof.z));
        // (3), (4)
        self.batch.add(w3, *com.a.point());
        self.batch.add(w3 * x, *com.b.point());
        self.batch.add(w4 * x, *com.c.point());
        self.batch.add(w4, *com.d.point());
        for (handles, fj) in self.gens.chunks_exact(2).zip(fs.iter()) {
            for (handle, fji) in handles.iter().zip(fj.iter()) {
                self.batch
                    .add_fixed(*handle, -(w3 * fji + w4 * fji * (x - fji)));
            }
        }
        Ok(())
    }

    /// `(s, 2^s, N − 1)`: the low depth `s = ⌊m/2⌋` of the split, the row
    /// width `2^s` and the number of keys before the padded tail.
    fn split(&self) -> (usize, usize, usize) {
        let low = self.set.depth() / 2;
        (low, 1 << low, self.set.len().saturating_sub(1))
    }

    /// Sums the key coefficients `c_{h·2^s + l} = Σ_proofs hi(h)·lo(l)` for
    /// `i < N − 1` (unreduced, [`WideSum`]), gives `P_{N−1}` the rest of the total (the padded
    /// tail, `Σ w_1·x^m − Σ_{i<N−1} c_i`), and runs the MSM.
    fn finish(mut self) -> bool {
        let (_, width, head) = self.split();
        let mut coeffs = vec![Scalar::ZERO; head];
        let mut wide = vec![WideSum::ZERO; head];
        for chunk in self.halves.chunks(WIDE_PRODUCTS) {
            for (hi, lo) in chunk {
                let lo: Vec<[u64; 4]> = lo.iter().map(limbs).collect();
                for (row, a) in wide.chunks_mut(width).zip(hi) {
                    let a = limbs(a);
                    for (c, b) in row.iter_mut().zip(&lo) {
                        c.add_product(&a, b);
                    }
                }
            }
            for (c, w) in coeffs.iter_mut().zip(wide.iter_mut()) {
                *c += w.reduce();
                *w = WideSum::ZERO;
            }
        }
        let last = self.total - coeffs.iter().sum::<Scalar>();
        coeffs.push(last);
        for (c, key) in coeffs.iter().zip(self.set.keys()) {
            self.batch.add(*c, *key.point());
        }
        self.batch.verify()
    }
}

impl Encode for MembershipProof {
    /// `0x50 ‖ 0x01 ‖ u8 m ‖ T ‖ A ‖ B ‖ C ‖ D ‖ G_0..G_{m−1} ‖ Q_0..Q_{m−1} ‖
    /// f_0..f_{m−1} ‖ z_A ‖ z_C ‖ z`.
    fn encode(&self, w: &mut Writer) {
        w.header(Tag::MembershipProof, 1);
        // depth ≤ MAX_DEPTH = 16 for every constructible proof.
        w.u8(self.f.len() as u8);
        self.tag.encode(w);
        for p in self.commitments.iter() {
            w.raw(p.encoding().as_bytes());
        }
        for s in self.f.iter().chain([&self.z_a, &self.z_c, &self.z]) {
            w.scalar(s);
        }
    }
}

impl Decode for MembershipProof {
    const NAME: &'static str = "MembershipProof";

    fn decode(r: &mut Reader<'_>) -> Result<Self> {
        r.header(Tag::MembershipProof, &[1], Self::NAME)?;
        let m = usize::from(r.u8(Self::NAME)?);
        if !(1..=MAX_DEPTH).contains(&m) {
            return Err(Error::InvalidParameter {
                what: "membership proof depth must be between 1 and 16",
            });
        }
        let tag = LinkingTag::decode(r)?;
        let mut point = || EncodedPoint::from_bytes(r.take(32, Self::NAME)?);
        let (a, b, c, d) = (point()?, point()?, point()?, point()?);
        let g = (0..m).map(|_| point()).collect::<Result<_>>()?;
        let q = (0..m).map(|_| point()).collect::<Result<_>>()?;
        let f = (0..m).map(|_| r.scalar()).collect::<Result<_>>()?;
        Ok(Self {
            tag,
            commitments: Commitments { a, b, c, d, g, q },
            f,
            z_a: r.scalar()?,
            z_c: r.scalar()?,
            z: r.scalar()?,
        })
    }
}

crate::impl_serde_via_encoding!(MembershipProof);

/// The commitments `G_k = Σ_i p_{i,k}·P_i + ρ_k·G` of the prover, one
/// constant-time multiscalar multiplication of `N + 1` terms per `k`
/// (spec/credential.md §3), for `k` in parallel with `parallelism`; the
/// result is identical either way. `polys` are the coefficients of
/// `p_i(x)` for `i < N − 1`; the last key's coefficient is minus their sum
/// (the `[k = m]` term cancels against `x^m`, which has no commitment).
fn column_commitments(
    set: &AnonymitySet,
    polys: &[Vec<Scalar>],
    rho: &[Scalar],
    parallelism: Parallelism,
) -> Vec<EncodedPoint> {
    parallelism.map(rho, |k, rho_k| {
        let column: Zeroizing<Vec<Scalar>> = Zeroizing::new(
            polys
                .iter()
                .map(|p| p.get(k).copied().unwrap_or(Scalar::ZERO))
                .collect(),
        );
        let last = -column.iter().sum::<Scalar>();
        EncodedPoint::new(RistrettoPoint::multiscalar_mul(
            column.iter().chain([&last, rho_k]),
            set.keys()
                .iter()
                .map(|key| key.point())
                .chain(core::iter::once(&RISTRETTO_BASEPOINT_POINT)),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::traits::IsIdentity;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    /// The four equations of spec/credential.md §4.4, each checked on its own
    /// over the explicitly padded set of `2^m` keys, with `p_i(x)` computed
    /// by the plain product for every `i`.
    fn equations_hold(
        proof: &MembershipProof,
        set: &AnonymitySet,
        ctx: &[u8],
        msg: &[u8],
    ) -> [bool; 4] {
        let m = set.depth();
        let h_ctx = tag_base(ctx);
        let mut t = statement_transcript(set, ctx, &h_ctx, &proof.tag, msg);
        let x = proof.commitments.challenge(&mut t);
        let xp = powers(&x, m);
        let f = |j: usize, i: usize| if i == 1 { proof.f[j] } else { x - proof.f[j] };
        let padded: Vec<RistrettoPoint> = (0..1usize << m)
            .map(|i| *set.keys()[i.min(set.len() - 1)].point())
            .collect();
        let mut e1 = -(proof.z * RISTRETTO_BASEPOINT_POINT);
        for (i, p) in padded.iter().enumerate() {
            let pi: Scalar = (0..m).map(|j| f(j, (i >> j) & 1)).product();
            e1 += pi * p;
        }
        let mut e2 = xp[m] * proof.tag.point() - proof.z * h_ctx;
        let com = &proof.commitments;
        let (a, b, c, d) = (com.a.point(), com.b.point(), com.c.point(), com.d.point());
        let mut e3 = a + x * b - proof.z_a * RISTRETTO_BASEPOINT_POINT;
        let mut e4 = d + x * c - proof.z_c * RISTRETTO_BASEPOINT_POINT;
        for ((xk, gk), qk) in xp.iter().zip(&com.g).zip(&com.q) {
            e1 -= xk * gk.point();
            e2 -= xk * qk.point();
        }
        for j in 0..m {
            for i in 0..2 {
                let h = set.generators()[2 * j + i];
                e3 -= f(j, i) * h;
                e4 -= f(j, i) * (x - f(j, i)) * h;
            }
        }
        [e1, e2, e3, e4].map(|e| e.is_identity())
    }

    #[test]
    fn prover_output_satisfies_each_spec_equation() {
        let mut rng = ChaCha20Rng::seed_from_u64(40);
        for n in [1usize, 2, 3, 6, 9] {
            let sks: Vec<_> = (0..n)
                .map(|_| CitizenSecretKey::generate(&mut rng))
                .collect();
            let set = AnonymitySet::new(sks.iter().map(|s| s.public_key()).collect()).unwrap();
            for sk in &sks {
                let proof = MembershipProof::prove(&set, sk, b"ctx", b"msg", &mut rng).unwrap();
                assert_eq!(equations_hold(&proof, &set, b"ctx", b"msg"), [true; 4]);
            }
        }
    }

    /// The prover's column commitments are the same computed on rayon
    /// threads or on this thread.
    #[test]
    fn column_commitments_do_not_depend_on_threads() {
        let mut rng = ChaCha20Rng::seed_from_u64(42);
        let sks: Vec<_> = (0..9)
            .map(|_| CitizenSecretKey::generate(&mut rng))
            .collect();
        let set = AnonymitySet::new(sks.iter().map(|s| s.public_key()).collect()).unwrap();
        let m = set.depth();
        let polys: Vec<Vec<Scalar>> = (0..set.len() - 1)
            .map(|_| (0..=m).map(|_| Scalar::random(&mut rng)).collect())
            .collect();
        let rho: Vec<Scalar> = (0..m).map(|_| Scalar::random(&mut rng)).collect();
        let seq = column_commitments(&set, &polys, &rho, Parallelism::Sequential);
        assert_eq!(seq.len(), m);
        assert_eq!(
            column_commitments(&set, &polys, &rho, Parallelism::Parallel),
            seq
        );
    }

    #[test]
    fn each_equation_is_needed() {
        // A transplanted tag breaks (2); a key that is not P_l breaks only
        // (1); a changed z_A breaks only (3), a changed z_C only (4).
        let mut rng = ChaCha20Rng::seed_from_u64(41);
        let sks: Vec<_> = (0..5)
            .map(|_| CitizenSecretKey::generate(&mut rng))
            .collect();
        let set = AnonymitySet::new(sks.iter().map(|s| s.public_key()).collect()).unwrap();
        let i0 = set.position_ct(&sks[0].public_key()).unwrap();
        let honest = MembershipProof::prove_at(&set, i0, &sks[0], b"c", b"m", &mut rng);

        let mut wrong_tag = honest.clone();
        wrong_tag.tag = sks[1].linking_tag(b"c");
        // (1) also fails because x depends on T; (2) alone already rejects
        // a transplanted tag.
        assert!(!equations_hold(&wrong_tag, &set, b"c", b"m")[1]);

        let outsider = CitizenSecretKey::generate(&mut rng);
        let forged = MembershipProof::prove_at(&set, i0, &outsider, b"c", b"m", &mut rng);
        let [e1, e2, e3, e4] = equations_hold(&forged, &set, b"c", b"m");
        assert!(!e1 && e2 && e3 && e4, "only the membership equation fails");

        let mut bad_za = honest.clone();
        bad_za.z_a += Scalar::ONE;
        assert_eq!(
            equations_hold(&bad_za, &set, b"c", b"m"),
            [true, true, false, true]
        );
        let mut bad_zc = honest.clone();
        bad_zc.z_c += Scalar::ONE;
        assert_eq!(
            equations_hold(&bad_zc, &set, b"c", b"m"),
            [true, true, true, false]
        );
        for p in [&forged, &bad_za, &bad_zc] {
            assert!(p.verify(&set, b"c", b"m").is_err());
        }
    }
}
