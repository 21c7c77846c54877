//! Batch verification of many ballots (spec/ballot.md §6.2).
//!
//! The ballots are cut into chunks of [`CHUNK`] ballots. Every proof of a
//! chunk is queued into one [`BatchVerifier`](crate::batch::BatchVerifier)
//! with independent random 128-bit weights, `G`, `PK` and `B̃` registered
//! once as fixed points, and checked with one multiscalar multiplication.
//! With the `rayon` feature the chunks run in parallel. Each chunk's weights
//! come from its own generator, seeded from the caller's `rng` in chunk
//! order before any work starts, so the outcome (including which ballot is
//! reported) is identical with and without rayon.
//!
//! When a chunk's equation fails, its ballots are verified one by one and
//! the first invalid one is reported as
//! [`Error::BatchVerificationFailed`]` { index: Some(i) }`, `i` counting
//! from the start of the whole slice.

use alloc::vec::Vec;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};

use super::{CastBallot, Election, EncryptedBallot};
use crate::encoding::Decode;
use crate::error::{Error, Result};
use crate::parallel::Parallelism;

/// Ballots per batch chunk: one multiscalar multiplication each, and the
/// unit of parallel work (spec/ballot.md §6.2). A streaming verifier reads
/// ballots in blocks of a multiple of this size.
pub const CHUNK: usize = 512;

const PROOF_NAME: &str = "ballot";

/// A deterministic generator of batch weights for one chunk: a merlin
/// transcript keyed with a 32-byte seed drawn from the caller's generator.
/// Output is squeezed with `challenge_bytes` in blocks of [`RNG_BLOCK`]
/// bytes (one STROBE PRF call serves 32 weights), so the stream is the
/// STROBE PRF of the seed.
struct ChunkRng {
    transcript: Transcript,
    block: [u8; RNG_BLOCK],
    used: usize,
}

/// Bytes squeezed per PRF call.
const RNG_BLOCK: usize = 512;

impl ChunkRng {
    fn new(seed: &[u8; 32]) -> Self {
        let mut transcript = Transcript::new(b"kleroterion/ballot-batch-weights");
        transcript.append_message(b"seed", seed);
        ChunkRng {
            transcript,
            block: [0; RNG_BLOCK],
            used: RNG_BLOCK,
        }
    }
}

impl RngCore for ChunkRng {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }

    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }

    fn fill_bytes(&mut self, mut dest: &mut [u8]) {
        while !dest.is_empty() {
            if self.used == RNG_BLOCK {
                self.transcript.challenge_bytes(b"weights", &mut self.block);
                self.used = 0;
            }
            let available = self.block.get(self.used..).unwrap_or_default();
            let n = available.len().min(dest.len());
            let (head, tail) = dest.split_at_mut(n);
            head.copy_from_slice(available.get(..n).unwrap_or_default());
            self.used += n;
            dest = tail;
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> core::result::Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for ChunkRng {}

impl Election {
    /// Verifies one chunk; `offset` is the index of its first ballot.
    /// `then_fail`, if given, is the index (within the chunk) of an item
    /// that follows `chunk` and is already known to be invalid (it did not
    /// decode): it is reported unless a ballot of `chunk` fails first.
    fn verify_chunk(
        &self,
        chunk: &[EncryptedBallot],
        offset: usize,
        seed: &[u8; 32],
        then_fail: Option<usize>,
    ) -> Result<()> {
        let mut rng = ChunkRng::new(seed);
        let mut batch = self.new_batch(chunk.len());
        let fail = |i: usize| Error::BatchVerificationFailed {
            proof: PROOF_NAME,
            index: Some(offset.saturating_add(i)),
        };
        // Structural errors and score range proofs are found while queuing;
        // the ballots before such a ballot are still checked first, so the
        // error always names the first invalid ballot.
        let mut first_bad = then_fail;
        let mut queued = chunk.len();
        for (i, ballot) in chunk.iter().enumerate() {
            if self.queue(ballot, &mut batch, &mut rng).is_err() {
                first_bad = Some(i);
                queued = i;
                break;
            }
        }
        if batch.verify() {
            return first_bad.map_or(Ok(()), |i| Err(fail(i)));
        }
        for (i, ballot) in chunk.iter().take(queued).enumerate() {
            self.verify(ballot, &mut rng).map_err(|_| fail(i))?;
        }
        Err(first_bad.map_or(
            Error::BatchVerificationFailed {
                proof: PROOF_NAME,
                index: None,
            },
            fail,
        ))
    }

    /// Verifies many ballots with one multiscalar multiplication per chunk
    /// (spec/ballot.md §6.2). On failure returns
    /// [`Error::BatchVerificationFailed`] naming the first invalid ballot;
    /// call [`verify`](Self::verify) on it for the precise reason.
    pub fn verify_batch<R: RngCore + CryptoRng>(
        &self,
        ballots: &[EncryptedBallot],
        rng: &mut R,
    ) -> Result<()> {
        in_chunks(self.parallelism(), ballots, rng, |chunk, offset, seed| {
            self.verify_chunk(chunk, offset, seed, None)
        })?;
        Ok(())
    }

    /// [`verify_batch`](Self::verify_batch), then marks every ballot cast.
    pub fn verify_cast_batch<R: RngCore + CryptoRng>(
        &self,
        ballots: Vec<EncryptedBallot>,
        rng: &mut R,
    ) -> Result<Vec<CastBallot>> {
        self.verify_batch(&ballots, rng)?;
        Ok(ballots.into_iter().map(|b| self.mark_cast(b)).collect())
    }

    /// Decodes and verifies encoded ballots (e.g. a block of a streamed
    /// record) and marks them cast. Decoding happens inside each chunk's
    /// job, so with `rayon` the point decompression is parallel too. A
    /// ballot that does not decode is reported like an invalid one, as
    /// [`Error::BatchVerificationFailed`] with its index.
    pub fn decode_verify_cast_batch<B, R>(
        &self,
        encoded: &[B],
        rng: &mut R,
    ) -> Result<Vec<CastBallot>>
    where
        B: AsRef<[u8]> + Sync,
        R: RngCore + CryptoRng,
    {
        let chunks = in_chunks(self.parallelism(), encoded, rng, |chunk, offset, seed| {
            let mut ballots = Vec::with_capacity(chunk.len());
            let mut undecodable = None;
            for (i, bytes) in chunk.iter().enumerate() {
                match EncryptedBallot::from_bytes(bytes.as_ref()) {
                    Ok(b) => ballots.push(b),
                    Err(_) => {
                        undecodable = Some(i);
                        break;
                    }
                }
            }
            self.verify_chunk(&ballots, offset, seed, undecodable)?;
            Ok(ballots)
        })?;
        Ok(chunks
            .into_iter()
            .flatten()
            .map(|b| self.mark_cast(b))
            .collect())
    }
}

/// Runs `job(chunk, offset of its first item, seed)` over chunks of
/// [`CHUNK`] items — with `parallelism`, in parallel with `rayon` — and
/// returns the results in chunk order, or the error of the first failing
/// chunk. The seeds are drawn from `rng` in chunk order before any job
/// runs, so the outcome does not depend on scheduling.
fn in_chunks<T, U, R, F>(
    parallelism: Parallelism,
    items: &[T],
    rng: &mut R,
    job: F,
) -> Result<Vec<U>>
where
    T: Sync,
    U: Send,
    R: RngCore + CryptoRng,
    F: Fn(&[T], usize, &[u8; 32]) -> Result<U> + Sync,
{
    let jobs: Vec<(&[T], [u8; 32])> = items
        .chunks(CHUNK)
        .map(|chunk| {
            let mut seed = [0u8; 32];
            rng.fill_bytes(&mut seed);
            (chunk, seed)
        })
        .collect();
    parallelism
        .map(&jobs, |c, (chunk, seed)| {
            job(chunk, c.saturating_mul(CHUNK), seed)
        })
        .into_iter()
        .collect()
}
