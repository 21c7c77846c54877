use super::*;
use crate::fairness::AllocationList;
use alloc::vec;

fn cat(v: &str, min: u32, max: u32) -> Category {
    Category {
        value: v.as_bytes().to_vec(),
        bounds: QuotaBounds { min, max },
    }
}

fn sample() -> FeatureQuotas {
    FeatureQuotas::new(
        4,
        vec![
            Feature {
                label: "gender".into(),
                categories: vec![cat("f", 2, 2), cat("m", 2, 2)],
            },
            Feature {
                label: "age".into(),
                categories: vec![cat("18-39", 1, 3), cat("40+", 1, 3)],
            },
        ],
        Some("household".into()),
    )
    .unwrap()
}

#[test]
fn encoding_round_trips_and_is_canonical() {
    let q = sample();
    let bytes = q.to_bytes();
    assert_eq!(&bytes[..2], &[0x35, 0x01]);
    assert_eq!(FeatureQuotas::from_bytes(&bytes).unwrap(), q);
    // Truncated or extended encodings are rejected.
    assert!(FeatureQuotas::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(FeatureQuotas::from_bytes(&longer).is_err());
    // A bad household flag.
    let mut flag = q.clone();
    flag.household = None;
    let mut b = flag.to_bytes();
    *b.last_mut().unwrap() = 2;
    assert!(FeatureQuotas::from_bytes(&b).is_err());
    // A count claiming more features than the bytes hold fails at once.
    let mut huge = bytes[..6].to_vec();
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    assert!(FeatureQuotas::from_bytes(&huge).is_err());
}

#[test]
fn invalid_quotas_are_rejected_on_construction_and_decoding() {
    let f = |cats| Feature {
        label: "gender".into(),
        categories: cats,
    };
    let bad = [
        FeatureQuotas::new(0, vec![f(vec![cat("f", 0, 1)])], None),
        FeatureQuotas::new(151, vec![f(vec![cat("f", 0, 1)])], None),
        FeatureQuotas::new(4, vec![], None),
        FeatureQuotas::new(4, vec![f(vec![])], None),
        FeatureQuotas::new(4, vec![f(vec![cat("m", 0, 1), cat("f", 0, 1)])], None),
        FeatureQuotas::new(4, vec![f(vec![cat("f", 0, 1), cat("f", 0, 1)])], None),
        FeatureQuotas::new(4, vec![f(vec![cat("f", 2, 1)])], None),
        FeatureQuotas::new(4, vec![f(vec![cat("f", 0, 1)])], Some("gender".into())),
        FeatureQuotas::new(
            4,
            vec![f(vec![cat("f", 0, 1)]), f(vec![cat("f", 0, 1)])],
            None,
        ),
        FeatureQuotas::new(4, vec![f(vec![cat("f", 0, 1)])], Some("bad label".into())),
    ];
    for (i, b) in bad.iter().enumerate() {
        assert!(b.is_err(), "case {i}");
    }
    // Decoding applies the same rules: seats 0.
    let mut bytes = sample().to_bytes();
    bytes[2..6].copy_from_slice(&0u32.to_le_bytes());
    assert!(FeatureQuotas::from_bytes(&bytes).is_err());
}

#[test]
fn cell_values_order_like_category_tuples() {
    let q = sample();
    let key = |i: u64| {
        crate::roll::CitizenKey::from_point(
            &(&curve25519_dalek::scalar::Scalar::from(i)
                * curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE),
        )
        .unwrap()
    };
    let entry = |g: &str, a: &str| {
        RollEntry::new(
            key(1),
            vec![
                crate::roll::Attribute::new("gender", g).unwrap(),
                crate::roll::Attribute::new("age", a).unwrap(),
            ],
        )
        .unwrap()
    };
    assert_eq!(q.cell_value(&entry("m", "40+"), 0).unwrap(), [0, 1, 0, 1]);
    assert_eq!(q.categories_of(&[0, 1, 0, 0]).unwrap(), [1, 0]);
    assert!(q.categories_of(&[0, 2, 0, 0]).is_err());
    assert!(q.categories_of(&[0, 1, 0]).is_err());
    assert_eq!(
        q.household_of(&entry("m", "40+"), 3),
        Err(Error::MissingAttribute { index: 3 })
    );
    assert_eq!(
        q.cell_value(&entry("x", "40+"), 5),
        Err(Error::UnknownCategory {
            index: 5,
            feature: 0
        })
    );
}

#[test]
fn allocation_lists_encode_commit_and_enumerate() {
    let q = sample();
    let counts: Vec<StratumCount> = [[0u8, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0], [0, 1, 0, 1]]
        .iter()
        .map(|v| StratumCount {
            value: v.to_vec(),
            size: 3,
            eligible: 2,
        })
        .collect();
    let p = q.problem(&counts).unwrap();
    let list = AllocationList::enumerate(&p, 100).unwrap();
    // Each gender splits its 2 seats over the age bands in 3 ways: 9
    // pairs, less the 2 that seat 0 or 4 young people.
    assert!(list.allocations().iter().all(|x| p.is_feasible(x)));
    assert_eq!(list.len(), 7);
    let bytes = list.to_bytes();
    assert_eq!(AllocationList::from_bytes(&bytes).unwrap(), list);
    assert_ne!(
        list.commitment(),
        AllocationList::new(list.allocations()[1..].to_vec())
            .unwrap()
            .commitment()
    );
    // A header claiming 2^32 - 1 allocations of 2^32 - 1 cells is rejected
    // before any allocation.
    let mut huge = bytes[..2].to_vec();
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    assert!(AllocationList::from_bytes(&huge).is_err());
    let mut empty_cells = bytes[..2].to_vec();
    empty_cells.extend_from_slice(&u32::MAX.to_le_bytes());
    empty_cells.extend_from_slice(&0u32.to_le_bytes());
    assert!(AllocationList::from_bytes(&empty_cells).is_err());
    assert!(AllocationList::enumerate(&p, 2).is_err(), "over the limit");
    assert!(AllocationList::new(vec![]).is_err());
    assert!(AllocationList::new(vec![vec![1, 2], vec![1]]).is_err());
    assert!(AllocationList::new(vec![vec![151]]).is_err());
}

#[cfg(feature = "serde")]
#[test]
fn serde_validates() {
    let q = sample();
    let json = serde_json::to_string(&q).unwrap();
    assert_eq!(serde_json::from_str::<FeatureQuotas>(&json).unwrap(), q);
    let bad = json.replace("\"seats\":4", "\"seats\":0");
    assert!(serde_json::from_str::<FeatureQuotas>(&bad).is_err());
}
