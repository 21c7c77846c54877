//! Every decoder of the modules merged after the first fuzz targets
//! (ballots, tally, roll, credentials, election record, beacon output):
//! no panic, and whatever decodes re-encodes to exactly the input.
//! Seeds: every hex string of every file in `test-vectors/`.
//! Verifier targets for these modules (with fixtures, as in `trustees` or
//! `beacon`) are still to be written.
#![no_main]

use kleroterion::ballot::{
    BallotId, ChallengedBallot, ConfirmationCode, ContestKind, EncryptedBallot, EncryptedContest,
    Manifest, ScoreProof,
};
use kleroterion::beacon::BeaconOutput;
use kleroterion::credential::{
    AnonymitySet, CitizenPublicKey, ConsentStatement, LinkingTag, MembershipProof,
};
use kleroterion::record::TrusteeDecryption;
use kleroterion::roll::{CitizenKey, Digest, InclusionProof, RollEntry};
use kleroterion::tally::{TallyAccumulator, TallyResult};
use kleroterion_fuzz::roundtrip;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    roundtrip::<BallotId>(data);
    roundtrip::<ChallengedBallot>(data);
    roundtrip::<ConfirmationCode>(data);
    roundtrip::<ContestKind>(data);
    roundtrip::<EncryptedBallot>(data);
    roundtrip::<EncryptedContest>(data);
    roundtrip::<Manifest>(data);
    roundtrip::<ScoreProof>(data);
    roundtrip::<BeaconOutput>(data);
    roundtrip::<AnonymitySet>(data);
    roundtrip::<CitizenPublicKey>(data);
    roundtrip::<ConsentStatement>(data);
    roundtrip::<LinkingTag>(data);
    roundtrip::<MembershipProof>(data);
    roundtrip::<TrusteeDecryption>(data);
    roundtrip::<CitizenKey>(data);
    roundtrip::<Digest>(data);
    roundtrip::<InclusionProof>(data);
    roundtrip::<RollEntry>(data);
    roundtrip::<TallyAccumulator>(data);
    roundtrip::<TallyResult>(data);
});
