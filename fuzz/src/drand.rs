//! Fixtures and seeds of the `drand` target: the two networks of
//! `test-vectors/drand.json` with their real published rounds.

use kleroterion::beacon::drand::{DrandChain, DrandRound, DrandScheme};

use crate::drand_vectors::{self, Network};

/// Each network of the file with its published rounds, parsed once.
pub fn networks() -> &'static [Network] {
    static CELL: std::sync::OnceLock<Vec<Network>> = std::sync::OnceLock::new();
    CELL.get_or_init(drand_vectors::networks)
}

/// The round a fuzz input of mode 1 encodes for `chain`:
/// `BE64(round) ‖ body`, the signature being the body's last
/// `signature_len` bytes and, for a chained network, the previous
/// signature the bytes before it.
pub fn round_of(chain: &DrandChain, round: u64, body: &[u8]) -> DrandRound {
    let n = chain.scheme().signature_len();
    let split = body.len().saturating_sub(n);
    let (prev, sig) = body.split_at(split);
    DrandRound {
        round,
        signature: sig.to_vec(),
        previous_signature: (chain.scheme() == DrandScheme::Chained).then(|| prev.to_vec()),
    }
}

/// Seeds: every chain info JSON (mode 0) and every published round in the
/// mode-1 layout.
pub fn seeds() -> Vec<Vec<u8>> {
    let file = drand_vectors::json();
    let mut out = Vec::new();
    for c in file["chains"].as_array().expect("chains") {
        let mut s = vec![0u8];
        s.extend_from_slice(c["info"].to_string().as_bytes());
        out.push(s);
    }
    for network in networks() {
        for (r, _) in &network.rounds {
            let mut s = vec![1u8];
            s.extend_from_slice(&r.round.to_be_bytes());
            if let Some(p) = &r.previous_signature {
                s.extend_from_slice(p);
            }
            s.extend_from_slice(&r.signature);
            out.push(s);
        }
    }
    out
}
