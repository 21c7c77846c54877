//! drand's chain info JSON (spec/beacon.md §3.2), read in both forms
//! drand serves: v2 (`chain_hash`, `genesis_seed`, `scheme`, `beacon_id`)
//! and v1 (`hash`, `groupHash`, `schemeID`, `metadata.beaconID`). A chain
//! hash given in the JSON must be the hash of the other fields; a
//! [`DrandChain`] is written in the v2 form, with its hash.

use alloc::string::String;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DrandChain, DrandScheme, SEED_LEN};
use crate::encoding::serde_bytes::HexBytes as Hex;
use crate::error::Error;

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "beaconID")]
    beacon_id: Option<String>,
}

/// Every field of either form; [`DrandChain::try_from`] reconciles them.
#[derive(Deserialize)]
struct InfoJson {
    public_key: Hex,
    period: u32,
    genesis_time: u64,
    genesis_seed: Option<Hex>,
    #[serde(rename = "groupHash")]
    group_hash: Option<Hex>,
    scheme: Option<String>,
    #[serde(rename = "schemeID")]
    scheme_id: Option<String>,
    beacon_id: Option<String>,
    metadata: Option<Metadata>,
    chain_hash: Option<Hex>,
    hash: Option<Hex>,
}

/// The v2 form, as written.
#[derive(Serialize)]
struct InfoOut<'a> {
    public_key: Hex,
    period: u32,
    genesis_time: u64,
    genesis_seed: Hex,
    chain_hash: Hex,
    scheme: &'a str,
    beacon_id: &'a str,
}

/// One value given under its v2 and/or v1 name: the two must agree.
fn either<T: PartialEq>(v2: Option<T>, v1: Option<T>, what: &'static str) -> Result<T, Error> {
    match (v2, v1) {
        (Some(a), Some(b)) if a != b => Err(Error::InvalidParameter { what }),
        (Some(a), _) | (None, Some(a)) => Ok(a),
        (None, None) => Err(Error::InvalidParameter { what }),
    }
}

impl TryFrom<InfoJson> for DrandChain {
    type Error = Error;

    fn try_from(j: InfoJson) -> Result<Self, Error> {
        let scheme = either(
            j.scheme,
            j.scheme_id,
            "drand chain info: one scheme (scheme or schemeID)",
        )?;
        let seed = either(
            j.genesis_seed,
            j.group_hash,
            "drand chain info: one genesis seed (genesis_seed or groupHash)",
        )?;
        let seed: [u8; SEED_LEN] =
            seed.0
                .as_slice()
                .try_into()
                .map_err(|_| Error::InvalidLength {
                    what: "drand genesis seed",
                    expected: SEED_LEN,
                    actual: seed.0.len(),
                })?;
        let beacon_id = match (j.beacon_id, j.metadata.and_then(|m| m.beacon_id)) {
            // Absent in both forms: the default beacon.
            (None, None) => String::new(),
            (a, b) => either(
                a,
                b,
                "drand chain info: one beacon id (beacon_id or metadata.beaconID)",
            )?,
        };
        let chain = DrandChain::new(
            DrandScheme::from_name(&scheme)?,
            &j.public_key.0,
            j.period,
            j.genesis_time,
            seed,
            beacon_id,
        )?;
        let stated = match (j.chain_hash, j.hash) {
            (None, None) => None,
            (a, b) => Some(either(
                a,
                b,
                "drand chain info: one chain hash (chain_hash or hash)",
            )?),
        };
        if let Some(h) = stated {
            if h.0.as_slice() != chain.chain_hash().0.as_slice() {
                return Err(Error::VerificationFailed {
                    proof: "drand chain hash (SHA-256 of the chain info)",
                });
            }
        }
        Ok(chain)
    }
}

impl Serialize for DrandChain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InfoOut {
            public_key: Hex(self.public_key.clone()),
            period: self.period,
            genesis_time: self.genesis_time,
            genesis_seed: Hex(self.genesis_seed.to_vec()),
            chain_hash: Hex(self.chain_hash().0.to_vec()),
            scheme: self.scheme.name(),
            beacon_id: &self.beacon_id,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for DrandChain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DrandChain::try_from(InfoJson::deserialize(d)?).map_err(D::Error::custom)
    }
}

#[cfg(feature = "json")]
impl DrandChain {
    /// Reads a chain info as drand publishes it (`GET /<chain hash>/info`,
    /// v1 or v2 form) and checks its stated chain hash, if any.
    pub fn from_info_json(json: &str) -> crate::error::Result<Self> {
        let info: InfoJson = serde_json::from_str(json).map_err(|_| Error::InvalidParameter {
            what: "not a drand chain info (JSON with public_key, period, genesis_time, scheme and genesis seed)",
        })?;
        DrandChain::try_from(info)
    }
}
