//! The result announcement (公告): per item the outcome and the figures (areas, members, units,
//! shares as exact fractions with a rounded percentage beside them), and the roll: per unit the
//! recorded choice with the owner's name masked where the roll is public, otherwise only the
//! receipts, so that every owner can find their ballot. Rendered as CSV and as printable HTML.

use askama::Template;
use gongjue_domain::area::Area;
use serde_json::Value;

use crate::i18n::{Lang, Msg};
use crate::publication::roll::PublishedItem;
use crate::publication::share;

/// One line of figures: a label and its area, members and units, with shares of `of`.
#[derive(Debug, Clone)]
pub struct FigureRow {
    pub label: String,
    pub area: String,
    pub area_share: String,
    pub area_exact: String,
    pub heads: u64,
    pub heads_share: String,
    pub heads_exact: String,
    pub units: u64,
}

#[derive(Debug, Clone)]
pub struct RollRow {
    pub unit: String,
    pub owner: String,
    pub choice: String,
    pub channel: String,
    pub receipt: String,
}

#[derive(Debug, Clone)]
pub struct ItemSection {
    pub title: String,
    pub outcome: String,
    pub figures: Vec<FigureRow>,
    pub roll: Vec<RollRow>,
}

/// Everything the announcement shows, in the reader's language.
#[derive(Debug, Clone)]
pub struct Announcement {
    pub lang: Lang,
    pub title: String,
    pub stage: String,
    pub objections_until: Option<String>,
    pub public_roll: bool,
    pub generated_at: String,
    pub items: Vec<ItemSection>,
    /// A trial estate's announcement: marked 试用/TRIAL first thing, in HTML and CSV.
    pub trial: bool,
    /// The estate log's newest checkpoint in words, and its signed note (a QR code on the
    /// printed page), so that a photo of the announcement keeps the checkpoint (issue 18).
    pub checkpoint_line: String,
    pub checkpoint_note: String,
}

/// A stored UTC time as people read it: Beijing time, `2026-12-09 01:10` (a text that is no
/// stored time is kept as it is).
pub fn beijing_time(stored: &str) -> String {
    let Some(beijing) = chrono::FixedOffset::east_opt(8 * 3600) else {
        return stored.to_owned();
    };
    chrono::DateTime::parse_from_rfc3339(stored).map_or_else(
        |_| stored.to_owned(),
        |t| {
            t.with_timezone(&beijing)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        },
    )
}

fn cents(v: Option<&Value>) -> u64 {
    v.and_then(Value::as_str)
        .and_then(|t| Area::parse(t).ok())
        .map_or(0, Area::cents)
}

fn count(v: Option<&Value>) -> u64 {
    v.and_then(Value::as_u64).unwrap_or(0)
}

/// A row of `figures` (`{"area", "heads", "units"}`) with shares of `whole`.
fn row(label: String, figures: Option<&Value>, whole: Option<&Value>) -> FigureRow {
    let get = |key: &str| figures.and_then(|f| f.get(key));
    let of = |key: &str| whole.and_then(|w| w.get(key));
    let (area, area_whole) = (cents(get("area")), cents(of("area")));
    let (heads, heads_whole) = (count(get("heads")), count(of("heads")));
    FigureRow {
        label,
        area: Area::from_cents(area).to_string(),
        area_share: share::percent(area, area_whole),
        area_exact: share::exact(area, area_whole),
        heads,
        heads_share: share::percent(heads, heads_whole),
        heads_exact: share::exact(heads, heads_whole),
        units: count(get("units")),
    }
}

fn outcome_label(outcome: Option<&str>, lang: Lang) -> String {
    match outcome {
        Some("passed") => Msg::AnnPassed.text(lang).into(),
        Some("rejected") => Msg::AnnRejected.text(lang).into(),
        Some("no_quorum") => Msg::AnnNoQuorum.text(lang).into(),
        Some("valid") => Msg::AnnValid.text(lang).into(),
        Some(other) => other.into(),
        None => "—".into(),
    }
}

fn choice_label(choice: &Value, lang: Lang) -> String {
    match choice {
        Value::String(s) => match s.as_str() {
            "yes" => Msg::AnnYes.text(lang).into(),
            "no" => Msg::AnnNo.text(lang).into(),
            "abstain" => Msg::AnnAbstain.text(lang).into(),
            "invalid" => Msg::AnnInvalid.text(lang).into(),
            other => other.into(),
        },
        Value::Array(marks) => marks
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("、"),
        Value::Object(answers) => answers
            .iter()
            .map(|(q, a)| {
                format!(
                    "{q}: {}",
                    a.as_array()
                        .map(|o| o
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("、"))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("；"),
        _ => String::new(),
    }
}

fn figures_of(item: &PublishedItem, lang: Lang) -> Vec<FigureRow> {
    let r = &item.result;
    let totals = r.get("totals");
    let participation = r.get("participation");
    let mut rows = vec![
        row(Msg::AnnTotal.text(lang).into(), totals, totals),
        row(
            Msg::AnnParticipation.text(lang).into(),
            participation,
            totals,
        ),
    ];
    match item.kind.as_str() {
        "motion" => {
            for (key, msg) in [
                ("yes", Msg::AnnYes),
                ("no", Msg::AnnNo),
                ("abstain", Msg::AnnAbstain),
                ("invalid", Msg::AnnInvalid),
            ] {
                rows.push(row(
                    msg.text(lang).into(),
                    r.get("choices").and_then(|c| c.get(key)),
                    participation,
                ));
            }
        }
        "election" => {
            for candidate in r
                .get("candidates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let id = candidate
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let elected = candidate
                    .get("elected")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let label = if elected {
                    format!("{id}（{}）", Msg::AnnElected.text(lang))
                } else {
                    id.to_owned()
                };
                rows.push(row(label, Some(candidate), participation));
            }
        }
        _ => {
            for question in r
                .get("questions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let q = question
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                for option in question
                    .get("options")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let o = option.get("id").and_then(Value::as_str).unwrap_or_default();
                    rows.push(row(
                        format!("{q}: {o}"),
                        Some(option),
                        question.get("respondents"),
                    ));
                }
            }
        }
    }
    rows
}

fn roll_of(item: &PublishedItem, public: bool, lang: Lang) -> Vec<RollRow> {
    if public {
        return item
            .roll
            .iter()
            .map(|e| RollRow {
                unit: e.unit.clone(),
                owner: e.owner.clone().unwrap_or_default(),
                choice: e.choice.as_ref().map_or_else(
                    || Msg::AnnNoBallot.text(lang).into(),
                    |c| choice_label(c, lang),
                ),
                channel: e.channel.clone().unwrap_or_default(),
                receipt: e.receipt.clone().unwrap_or_default(),
            })
            .collect();
    }
    // Without a public roll: the receipts alone, sorted, so no line points at a unit.
    let mut receipts: Vec<String> = item.roll.iter().filter_map(|e| e.receipt.clone()).collect();
    receipts.sort();
    receipts.dedup();
    receipts
        .into_iter()
        .map(|receipt| RollRow {
            unit: String::new(),
            owner: String::new(),
            choice: String::new(),
            channel: String::new(),
            receipt,
        })
        .collect()
}

impl Announcement {
    pub fn new(
        title: String,
        stage: &str,
        objections_until: Option<String>,
        public_roll: bool,
        items: &[PublishedItem],
        lang: Lang,
    ) -> Announcement {
        let stage = if stage == "final" {
            Msg::AnnFinal
        } else {
            Msg::AnnPreliminary
        };
        Announcement {
            lang,
            title,
            stage: stage.text(lang).into(),
            objections_until: objections_until.as_deref().map(beijing_time),
            public_roll,
            generated_at: beijing_time(&gongjue_store::timestamp(chrono::Utc::now())),
            items: items
                .iter()
                .map(|item| ItemSection {
                    title: item.title.clone(),
                    outcome: outcome_label(
                        item.result.get("outcome").and_then(Value::as_str),
                        lang,
                    ),
                    figures: figures_of(item, lang),
                    roll: roll_of(item, public_roll, lang),
                })
                .collect(),
            trial: false,
            checkpoint_line: String::new(),
            checkpoint_note: String::new(),
        }
    }

    /// The checkpoint's QR code as inline SVG (empty without a checkpoint).
    pub fn checkpoint_qr(&self) -> String {
        if self.checkpoint_note.is_empty() {
            return String::new();
        }
        qrcode::QrCode::new(self.checkpoint_note.as_bytes())
            .map(|code| {
                code.render::<qrcode::render::svg::Color>()
                    .min_dimensions(150, 150)
                    .quiet_zone(true)
                    .build()
            })
            .unwrap_or_default()
    }

    /// The trial banner (empty for a real estate).
    pub fn trial_banner(&self) -> &'static str {
        if self.trial {
            Msg::TrialBanner.text(self.lang)
        } else {
            ""
        }
    }

    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang)
    }

    /// The CSV: one header, then per item its figure rows and its roll rows (column `section`).
    /// Every cell goes through `csv_out::InertCsv`, so none runs as a formula in a spreadsheet.
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = crate::csv_out::InertCsv::new();
        let t = |m: Msg| m.text(self.lang);
        if self.trial {
            // Before the header: the first thing a spreadsheet shows.
            w.record(std::iter::once(self.trial_banner()).chain(std::iter::repeat_n("", 15)))?;
        }
        w.record([
            t(Msg::AnnItem),
            t(Msg::AnnOutcome),
            t(Msg::AnnSection),
            t(Msg::AnnMeasure),
            t(Msg::AnnArea),
            t(Msg::AnnShare),
            "",
            t(Msg::AnnHeads),
            t(Msg::AnnShare),
            "",
            t(Msg::AnnUnits),
            t(Msg::AnnUnit),
            t(Msg::AnnOwner),
            t(Msg::AnnChoice),
            t(Msg::AnnChannel),
            t(Msg::AnnReceipt),
        ])?;
        for item in &self.items {
            for f in &item.figures {
                let (heads, units) = (f.heads.to_string(), f.units.to_string());
                w.record([
                    item.title.as_str(),
                    &item.outcome,
                    t(Msg::AnnFigures),
                    &f.label,
                    &f.area,
                    &f.area_share,
                    &f.area_exact,
                    &heads,
                    &f.heads_share,
                    &f.heads_exact,
                    &units,
                    "",
                    "",
                    "",
                    "",
                    "",
                ])?;
            }
            for r in &item.roll {
                w.record([
                    item.title.as_str(),
                    &item.outcome,
                    t(Msg::AnnRoll),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    &r.unit,
                    &r.owner,
                    &r.choice,
                    &r.channel,
                    &r.receipt,
                ])?;
            }
        }
        w.finish()
    }

    pub fn html(&self) -> Result<String, askama::Error> {
        AnnouncementPage { a: self }.render()
    }
}

#[derive(Template)]
#[template(path = "publication/announcement.html")]
struct AnnouncementPage<'a> {
    a: &'a Announcement,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publication::roll::RollEntry;
    use serde_json::json;

    fn motion(public: bool) -> (PublishedItem, bool) {
        let result = json!({"outcome": "passed", "totals": {"area": "300.00", "heads": 3, "units": 3},
            "participation": {"area": "200.00", "heads": 2, "units": 2, "met": true},
            "choices": {"yes": {"area": "120.00", "heads": 1, "units": 1}, "no": {"area": "80.00", "heads": 1, "units": 1},
                "abstain": {"area": "0.00", "heads": 0, "units": 0}, "invalid": {"area": "0.00", "heads": 0, "units": 0}}});
        let entry =
            |unit: &str, owner: &str, choice: Option<&str>, receipt: Option<&str>| RollEntry {
                unit: unit.into(),
                building: "1".into(),
                owner: public.then(|| owner.into()),
                voted: choice.is_some(),
                channel: choice.map(|_| "web".into()),
                cast_at: None,
                receipt: receipt.map(str::to_owned),
                choice: if public {
                    choice.map(|c| json!(c))
                } else {
                    None
                },
            };
        let roll = vec![
            entry("1-101", "张*明", Some("yes"), Some("bbb")),
            entry("1-102", "李*", Some("no"), Some("aaa")),
            entry("1-201", "王*", None, None),
        ];
        (
            PublishedItem {
                item: "i".into(),
                title: "续聘物业".into(),
                kind: "motion".into(),
                result,
                roll_total: roll.len(),
                roll,
            },
            public,
        )
    }

    #[test]
    fn times_are_beijing_time() {
        assert_eq!(
            beijing_time("2026-12-08T17:10:00.123456Z"),
            "2026-12-09 01:10"
        );
        assert_eq!(beijing_time("2026-12-22"), "2026-12-22");
        let (item, public) = motion(true);
        let a = Announcement::new(
            "大会".into(),
            "preliminary",
            Some("2026-12-21T16:00:00.000000Z".into()),
            public,
            &[item],
            Lang::ZhCn,
        );
        let html = a.html().unwrap();
        assert!(html.contains("2026-12-22 00:00"), "{html}");
        assert!(!html.contains("T16:00"), "{html}");
    }

    #[test]
    fn figures_carry_exact_shares_and_the_roll_masks_or_hides() {
        let (item, public) = motion(true);
        let a = Announcement::new("大会".into(), "final", None, public, &[item], Lang::ZhCn);
        let figures = &a.items[0].figures;
        let yes = figures.iter().find(|f| f.label == "同意").unwrap();
        assert_eq!(
            (
                yes.area.as_str(),
                yes.area_exact.as_str(),
                yes.area_share.as_str()
            ),
            ("120.00", "3/5", "60.00%")
        );
        let took_part = figures.iter().find(|f| f.label == "参与表决").unwrap();
        assert_eq!(
            (
                took_part.heads_exact.as_str(),
                took_part.heads_share.as_str()
            ),
            ("2/3", "66.67%")
        );
        let csv = String::from_utf8(a.csv().unwrap()).unwrap();
        assert!(csv.contains("1-101,张*明,同意,web,bbb"), "{csv}");
        assert!(csv.contains("1-201,王*,未投票"), "{csv}");
        let html = a.html().unwrap();
        assert!(
            html.contains("张*明") && html.contains("3/5") && html.contains("@page"),
            "{html}"
        );

        let (mut item, public) = motion(false);
        item.title = "=HYPERLINK(\"x\") <script>".into();
        let a = Announcement::new(
            "大会".into(),
            "preliminary",
            Some("2026-12-22".into()),
            public,
            &[item],
            Lang::En,
        );
        let roll = &a.items[0].roll;
        assert_eq!(
            roll.iter().map(|r| r.receipt.as_str()).collect::<Vec<_>>(),
            ["aaa", "bbb"],
            "receipts only, sorted"
        );
        assert!(
            roll.iter()
                .all(|r| r.unit.is_empty() && r.choice.is_empty())
        );
        let html = a.html().unwrap();
        assert!(
            !html.contains("<script>") && html.contains("HYPERLINK"),
            "titles are escaped"
        );
        let csv = String::from_utf8(a.csv().unwrap()).unwrap();
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        // A phone's viewport, landmarks around everything, one h1 (issue 21).
        assert!(html.contains(r#"name="viewport""#), "{html}");
        assert!(
            html.contains("<header>") && html.contains("<main>") && html.contains("<footer>"),
            "{html}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{html}");
        assert!(
            html.contains("Preliminary result")
                && html.contains("2026-12-22")
                && !html.contains("1-101"),
            "{html}"
        );
    }
}
