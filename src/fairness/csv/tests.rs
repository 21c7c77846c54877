use super::*;
use std::string::String;
use std::vec::Vec;

const FEATURES: &str = "feature,value,min,max,min_flex,max_flex\n\
Gender,Male,1,2,0,3\n\
Gender,Female,1,2,0,3\n\
Age,18-30,1,3,0,4\n\
Age,31+,1,3,0,4\n\
,,,,,\n";

const PEOPLE: &str = "id,Name,Gender,Age,Address,Postcode\n\
p1,Ann,Female,18-30,1 High St,AB1\n\
p2,Bob,Male,31+,1 High St,AB1\n\
p3,Cy,Male,18-30,2 Low Rd,AB2\n\
p4,Di,Female,31+,3 Mid Way,AB3\n\
 ,blank id,Male,31+,x,y\n";

fn columns() -> PeopleColumns {
    PeopleColumns {
        id: "id".into(),
        address: vec!["Address".into(), "Postcode".into()],
        keep: vec!["Name".into()],
    }
}

#[test]
fn features_read_like_the_package() {
    let q = read_features(FEATURES.as_bytes(), 3, Some(HOUSEHOLD_LABEL)).unwrap();
    let labels: Vec<&str> = q.features().iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["Gender", "Age"], "file order");
    let gender = &q.features()[0].categories;
    assert_eq!(gender[0].value, b"Female", "categories sorted by value");
    assert_eq!(gender[1].bounds, QuotaBounds { min: 1, max: 2 });
    // The older header names, without flex columns.
    let old = "category,name,min,max\nGender,Male,1,2\nGender,Female,1,2\n";
    assert_eq!(
        read_features(old.as_bytes(), 3, None)
            .unwrap()
            .features()
            .len(),
        1
    );
    for bad in [
        "feature,value,min\nGender,Male,1\n",
        "feature,value,min,max\nGender,Male,1,x\n",
        "feature,value,min,max\nGender,,1,2\n",
        "feature,value,min,max\nGender,Male,1,2\nGender,Male,0,2\n",
        "feature,value,min,max,min_flex,max_flex\nGender,Male,1,2,2,2\n",
        "feature,feature,value,min,max\nGender,Gender,Male,1,2\n",
        "feature,value,min,max\nAge band,Male,1,2\n",
    ] {
        assert!(read_features(bad.as_bytes(), 3, None).is_err(), "{bad}");
    }
}

#[test]
fn people_become_a_roll_and_the_draw_writes_both_lists() {
    let q = read_features(FEATURES.as_bytes(), 3, Some(HOUSEHOLD_LABEL)).unwrap();
    let people = People::read(PEOPLE.as_bytes(), &q, &columns()).unwrap();
    assert_eq!(people.entries().len(), 4, "the blank id is skipped");
    assert!(people.entries().windows(2).all(|w| w[0].key() < w[1].key()));
    let key = |id: &str| person_key(id).unwrap();
    let ann = people.get(&key("p1")).unwrap();
    assert_eq!(ann.output, ["Ann", "Female", "18-30"]);
    assert_eq!(ann.household, people.get(&key("p2")).unwrap().household);
    assert_ne!(ann.household, people.get(&key("p3")).unwrap().household);
    let cells = q.census(people.entries(), &[]).unwrap();
    assert_eq!(cells.len(), 4);

    let selected = [key("p1"), key("p4")];
    let mut out = Vec::new();
    people.write_selected("id", &selected, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "id,Name,Gender,Age\np1,Ann,Female,18-30\np4,Di,Female,31+\n"
    );
    let mut out = Vec::new();
    people.write_remaining("id", &selected, &mut out).unwrap();
    // p2 shares p1's address and is removed with her.
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "id,Name,Gender,Age\np3,Cy,Male,18-30\n"
    );
}

#[test]
fn bad_people_files_name_the_problem() {
    let q = read_features(FEATURES.as_bytes(), 3, Some(HOUSEHOLD_LABEL)).unwrap();
    let unknown = PEOPLE.replace("p3,Cy,Male", "p3,Cy,Other");
    let e = People::read(unknown.as_bytes(), &q, &columns()).unwrap_err();
    assert!(e.0.contains("p3"), "{e}");
    let twice = PEOPLE.replace("p3,", "p1,");
    assert!(People::read(twice.as_bytes(), &q, &columns()).is_err());
    let no_age = PEOPLE.replace(",Age,", ",Ages,");
    assert!(People::read(no_age.as_bytes(), &q, &columns()).is_err());
    let plain = PeopleColumns {
        address: vec![],
        ..columns()
    };
    assert!(
        People::read(PEOPLE.as_bytes(), &q, &plain).is_err(),
        "a household rule needs address columns"
    );
    let mut out = Vec::new();
    assert!(people_missing(&q)
        .write_selected("id", &[key_of("zz")], &mut out)
        .is_err());
}

fn people_missing(q: &FeatureQuotas) -> People {
    People::read(PEOPLE.as_bytes(), q, &columns()).unwrap()
}

fn key_of(id: &str) -> CitizenKey {
    person_key(id).unwrap()
}
