//! Tally of a 100,000-unit electorate with 80,000 ballots: a motion, a 5-seat election with 12
//! candidates, and a 3-question consultation. Target: under 30 ms each on one core.
//!
//! `cargo bench -p gongjue-domain`. The roster is shaped like `gen_roster.py mega`: 40-storey
//! towers of 320 units, zones of 25 buildings, about 3% of owners holding two units, and a few
//! unsold units of the developer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gongjue_domain::area::{Area, UnitArea};
use gongjue_domain::ballot_box::BallotBox;
use gongjue_domain::bundle;
use gongjue_domain::consultation::{Consultation, Question};
use gongjue_domain::election::Election;
use gongjue_domain::electorate::{Electorate, GroupBy, Unit};
use gongjue_domain::fraction::{Comparison, Fraction};
use gongjue_domain::motion::{Motion, MotionChoice};
use gongjue_domain::rule::Rule;
use gongjue_domain::tally::{Counted, Tally};
use gongjue_domain::threshold::{Base, Threshold};
use gongjue_domain::weight::Measure;

const UNITS: usize = 100_000;
const BALLOTS: usize = 80_000;

/// A small deterministic generator, so every run counts the same estate.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn electorate() -> Electorate {
    let mut rng = Lcg(2026);
    let units = (0..UNITS).map(|i| {
        let (building, k) = (i / 320, i % 320);
        let voter = if i % 33 == 1 {
            format!("P{:06}", i - 1) // ~3% of owners hold a second unit
        } else if i % 5_000 == 7 {
            "DEVELOPER".to_owned()
        } else {
            format!("P{i:06}")
        };
        Unit {
            id: format!(
                "{}-{}-{}{:02}",
                building + 1,
                k % 8 / 4 + 1,
                k / 8 + 1,
                k % 8 + 1
            ),
            building: (building + 1).to_string(),
            stairwell: (k % 8 / 4 + 1).to_string(),
            zone: format!("Z{}", building / 25 + 1),
            area: UnitArea::new(Area::from_cents(6_000 + rng.next() % 7_000)).unwrap(),
            voter,
        }
    });
    Electorate::new(units).unwrap()
}

/// The first 80,000 members (by position) return a ballot, chosen by `pick`.
fn ballots<C>(electorate: &Electorate, mut pick: impl FnMut(u64) -> C) -> BallotBox<C> {
    let mut rng = Lcg(7);
    let mut ballots = BallotBox::new(electorate);
    for member in electorate.members().iter().take(BALLOTS) {
        ballots
            .cast(electorate, &member.voter, pick(rng.next()))
            .unwrap();
    }
    ballots
}

fn motion(electorate: &Electorate) -> Tally {
    let choices = [
        MotionChoice::Yes,
        MotionChoice::Yes,
        MotionChoice::No,
        MotionChoice::Abstain,
        MotionChoice::Invalid,
    ];
    let ballots = ballots(electorate, |r| choices[(r % 5) as usize]);
    let motion = Motion {
        concurrent: Some(GroupBy::Zone),
        ..Motion::new(Rule::ordinary())
    };
    Tally {
        electorate: electorate.clone(),
        counted: Counted::Motion(motion, ballots),
    }
}

fn election(electorate: &Electorate) -> Tally {
    let candidates: Vec<String> = (1..=12).map(|c| format!("c{c}")).collect();
    let election = Election::new(5, candidates.clone(), Rule::ordinary()).unwrap();
    let ballots = ballots(electorate, |r| {
        let marks: Vec<&str> = (0..5)
            .map(|k| candidates[((r >> (4 * k)) % 12) as usize].as_str())
            .collect();
        election.ballot(&marks)
    });
    Tally {
        electorate: electorate.clone(),
        counted: Counted::Election(election, ballots),
    }
}

fn consultation(electorate: &Electorate) -> Tally {
    let four_fifths = Threshold::new(
        Measure::Units,
        Comparison::AtLeast,
        Fraction::new(4, 5).unwrap(),
        Base::Total,
    );
    let questions = vec![
        Question::new(
            "parking".into(),
            vec!["a".into(), "b".into(), "c".into()],
            1,
            None,
        )
        .unwrap(),
        Question::new(
            "brand".into(),
            vec!["x".into(), "y".into(), "z".into(), "w".into()],
            2,
            None,
        )
        .unwrap(),
        Question::new(
            "gate".into(),
            vec!["agree".into(), "disagree".into()],
            1,
            Some(vec![four_fifths]),
        )
        .unwrap(),
    ];
    let consultation = Consultation::new(questions, vec![]).unwrap();
    let ballots = ballots(electorate, |r| {
        let mut ballot = consultation.empty_ballot();
        consultation
            .answer(&mut ballot, "parking", &[["a", "b", "c"][(r % 3) as usize]])
            .unwrap();
        if r % 7 != 0 {
            consultation
                .answer(
                    &mut ballot,
                    "brand",
                    &[["x", "y", "z"][(r % 3) as usize], "w"][..1 + (r % 2) as usize],
                )
                .unwrap();
        }
        consultation
            .answer(
                &mut ballot,
                "gate",
                &[if r % 10 < 8 { "agree" } else { "disagree" }],
            )
            .unwrap();
        ballot
    });
    Tally {
        electorate: electorate.clone(),
        counted: Counted::Consultation(consultation, ballots),
    }
}

fn benches(c: &mut Criterion) {
    let electorate = electorate();
    let mut group = c.benchmark_group("tally 100k units, 80k ballots");
    group.sample_size(20);
    for (name, tally) in [
        ("motion (zone majorities)", motion(&electorate)),
        ("election 5 of 12", election(&electorate)),
        ("consultation 3 questions", consultation(&electorate)),
    ] {
        group.bench_function(name, |b| b.iter(|| black_box(tally.result())));
    }
    group.bench_function("breakdown of the motion", |b| {
        let tally = motion(&electorate);
        b.iter(|| black_box(tally.breakdown()));
    });
    group.finish();

    // Reading the bundle file is part of an offline recount: time it on the same motion.
    let json = bundle_json(&motion(&electorate));
    let mut group = c.benchmark_group("gongjue-tally/1 bundle, 100k units");
    group.sample_size(10);
    group.bench_function("read and check", |b| {
        b.iter(|| black_box(bundle::read(json.as_bytes()).unwrap()))
    });
    group.finish();
}

fn bundle_json(tally: &Tally) -> String {
    let Counted::Motion(_, ballots) = &tally.counted else {
        unreachable!()
    };
    let units: Vec<serde_json::Value> = tally
        .electorate
        .units()
        .iter()
        .map(|u| serde_json::json!({"unit": u.id, "building": u.building, "stairwell": u.stairwell, "zone": u.zone, "area": u.area.to_string(), "voter": u.voter}))
        .collect();
    let ballots: Vec<serde_json::Value> = ballots
        .iter()
        .map(|(m, c)| serde_json::json!({"voter": tally.electorate.member(m).unwrap().voter, "choice": c.name()}))
        .collect();
    serde_json::json!({"format": bundle::FORMAT, "kind": "motion", "concurrent": "zone", "electorate": units, "ballots": ballots}).to_string()
}

criterion_group!(tally, benches);
criterion_main!(tally);
