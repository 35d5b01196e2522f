//! Figures and rules put into plain words for owners and secretaries: the rule an item is
//! counted with (from its actual thresholds, never a fixed sentence), a choice as the owner
//! made it, a receipt number short enough to write down, a name masked for publication.

use gongjue_domain::fraction::{Comparison, Fraction};
use gongjue_domain::rule::Rule;
use gongjue_domain::threshold::{Base, Threshold};
use gongjue_domain::weight::Measure;
use serde_json::Value;

use crate::i18n::{Lang, Msg};

fn measure_word(measure: Measure, lang: Lang) -> &'static str {
    match measure {
        Measure::Area => Msg::RuleArea,
        Measure::Heads => Msg::RuleHeads,
        Measure::Units => Msg::RuleUnits,
    }
    .text(lang)
}

/// The words of a fraction: a matter of how numbers are spelt, so here rather than in the
/// catalogue.
pub(crate) fn fraction_word(fraction: Fraction, lang: Lang) -> String {
    let text = fraction.to_string();
    let (numerator, denominator) = text.split_once('/').unwrap_or((text.as_str(), "1"));
    match lang {
        Lang::ZhCn => {
            let digit = |d: &str| match d {
                "1" => "一".to_owned(),
                "2" => "二".to_owned(),
                "3" => "三".to_owned(),
                "4" => "四".to_owned(),
                "5" => "五".to_owned(),
                "6" => "六".to_owned(),
                "7" => "七".to_owned(),
                "8" => "八".to_owned(),
                "9" => "九".to_owned(),
                "10" => "十".to_owned(),
                other => other.to_owned(),
            };
            if numerator == denominator {
                "全部".to_owned()
            } else {
                format!("{}分之{}", digit(denominator), digit(numerator))
            }
        }
        Lang::En => match (numerator, denominator) {
            ("1", "2") => "half".to_owned(),
            ("2", "3") => "two thirds".to_owned(),
            ("3", "4") => "three quarters".to_owned(),
            _ => text.clone(),
        },
    }
}

/// Thresholds that differ only in their measure read as one phrase: "面积和人数".
fn grouped(thresholds: &[Threshold]) -> Vec<(Vec<Measure>, Comparison, Fraction, Base)> {
    let mut groups: Vec<(Vec<Measure>, Comparison, Fraction, Base)> = Vec::new();
    for t in thresholds {
        match groups
            .iter_mut()
            .find(|(_, c, f, o)| *c == t.comparison && *f == t.fraction && *o == t.of)
        {
            Some(group) => group.0.push(t.measure),
            None => groups.push((vec![t.measure], t.comparison, t.fraction, t.of)),
        }
    }
    groups
}

fn measures_word(measures: &[Measure], lang: Lang) -> String {
    let words: Vec<&str> = measures.iter().map(|m| measure_word(*m, lang)).collect();
    words.join(Msg::RuleMeasuresAnd.text(lang))
}

/// "过三分之二" / "三分之二以上" (art. 1259: 以上 includes the boundary, 过 does not), and the
/// law's own "过半数" for more than half.
fn bound_word(comparison: Comparison, fraction: Fraction, lang: Lang) -> String {
    let f = fraction_word(fraction, lang);
    match comparison {
        Comparison::MoreThan if fraction == Fraction::HALF => {
            Msg::RuleMoreThanHalf.text(lang).to_owned()
        }
        Comparison::MoreThan => Msg::RuleMoreThan.text_with(lang, &[("fraction", (&f).into())]),
        Comparison::AtLeast => Msg::RuleAtLeast.text_with(lang, &[("fraction", (&f).into())]),
    }
}

/// The rule of an item in plain words, from its thresholds: who must take part, and who must
/// agree. The sentences are the catalogue's (`rule-*`); their first letter is capitalised here.
pub fn rule_words(rule: &Rule, lang: Lang) -> String {
    let clause = |msg: Msg, measures: &[Measure], comparison, fraction| {
        msg.text_with(
            lang,
            &[
                ("measures", (&measures_word(measures, lang)).into()),
                ("count", measures.len().into()),
                ("bound", (&bound_word(comparison, fraction, lang)).into()),
            ],
        )
    };
    let mut clauses = Vec::new();
    for (measures, comparison, fraction, _) in grouped(&rule.participation) {
        clauses.push(clause(
            Msg::RuleParticipation,
            &measures,
            comparison,
            fraction,
        ));
    }
    for (measures, comparison, fraction, of) in grouped(&rule.approval) {
        let msg = match of {
            Base::Participating => Msg::RuleApprovalParticipating,
            Base::Total => Msg::RuleApprovalTotal,
        };
        clauses.push(clause(msg, &measures, comparison, fraction));
    }
    if clauses.is_empty() {
        return String::new();
    }
    let clauses = clauses.join(Msg::RuleClausesAnd.text(lang));
    let sentence = Msg::RuleSentence.text_with(lang, &[("clauses", (&clauses).into())]);
    let mut chars = sentence.chars();
    chars.next().map_or_else(String::new, |first| {
        format!("{}{}", first.to_uppercase(), chars.as_str())
    })
}

/// An election's rule worded for candidates: who must take part (as for a motion), then "the 2
/// candidates with the most votes are elected, each needing the votes of …" (a candidate
/// qualifies with the rule's approval thresholds applied to their supporters).
/// An item's rule in words as owners read it: an election's worded for candidates (its
/// `definition`'s seats), a motion's for agreeing.
pub fn item_rule_words(
    kind: &str,
    definition: &serde_json::Value,
    rule: &Rule,
    lang: Lang,
) -> String {
    if kind == "election" {
        let seats = definition
            .get("seats")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(1);
        election_rule_words(rule, seats, lang)
    } else {
        rule_words(rule, lang)
    }
}

pub fn election_rule_words(rule: &Rule, seats: u64, lang: Lang) -> String {
    let phrase = |msg: Msg, measures: &[Measure], comparison, fraction| {
        msg.text_with(
            lang,
            &[
                ("measures", (&measures_word(measures, lang)).into()),
                ("count", measures.len().into()),
                ("bound", (&bound_word(comparison, fraction, lang)).into()),
            ],
        )
    };
    let mut clauses: Vec<String> = grouped(&rule.participation)
        .into_iter()
        .map(|(measures, comparison, fraction, _)| {
            phrase(Msg::RuleParticipation, &measures, comparison, fraction)
        })
        .collect();
    let votes: Vec<String> = grouped(&rule.approval)
        .into_iter()
        .map(|(measures, comparison, fraction, of)| {
            let msg = match of {
                Base::Participating => Msg::RuleVotesParticipating,
                Base::Total => Msg::RuleVotesTotal,
            };
            phrase(msg, &measures, comparison, fraction)
        })
        .collect();
    clauses.push(if votes.is_empty() {
        Msg::RuleElectedOnly.text_with(lang, &[("seats", seats.into())])
    } else {
        let votes = votes.join(Msg::RuleClausesAnd.text(lang));
        Msg::RuleElected.text_with(lang, &[("seats", seats.into()), ("votes", (&votes).into())])
    });
    let clauses = clauses.join(Msg::RuleClausesAnd.text(lang));
    let sentence = Msg::RuleSentence.text_with(lang, &[("clauses", (&clauses).into())]);
    let mut chars = sentence.chars();
    chars.next().map_or_else(String::new, |first| {
        format!("{}{}", first.to_uppercase(), chars.as_str())
    })
}

/// A stored choice as the owner reads it.
pub fn choice_words(kind: &str, choice: Option<&Value>, lang: Lang) -> String {
    let Some(choice) = choice else {
        return Msg::WebNoChoice.text(lang).to_owned();
    };
    let word = |w: &str| match w {
        "yes" => Msg::WebYes.text(lang).to_owned(),
        "no" => Msg::WebNo.text(lang).to_owned(),
        "abstain" => Msg::WebAbstain.text(lang).to_owned(),
        "invalid" => Msg::WebInvalid.text(lang).to_owned(),
        "follow" => Msg::WebFollow.text(lang).to_owned(),
        other => other.to_owned(),
    };
    let sep = Msg::ListSeparator.text(lang);
    let list = |v: &Value| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(sep)
            })
            .unwrap_or_default()
    };
    match (kind, choice) {
        (_, Value::String(w)) => word(w),
        ("election", Value::Array(a)) if a.is_empty() => word("abstain"),
        (_, Value::Array(_)) => list(choice),
        (_, Value::Object(answers)) => {
            // "方案：甲方案；时间：周末" in Chinese, "Plan: A; Time: weekend" in English.
            let parts: Vec<String> = answers
                .iter()
                .map(|(q, a)| {
                    Msg::WebAnswerPair.text_with(
                        lang,
                        &[("question", q.into()), ("answers", (&list(a)).into())],
                    )
                })
                .collect();
            if parts.is_empty() {
                word("abstain")
            } else {
                parts.join(Msg::WebAnswersSeparator.text(lang))
            }
        }
        _ => choice.to_string(),
    }
}

/// A receipt's short form (one for the pages, the notices and the published list), and the one
/// receipt of an owner's sheet.
pub use crate::publication::receipt::{sheet_receipt, short_receipt};

/// A name as published (one masking rule for every page and the announcement).
pub use crate::publication::mask::mask_name;

/// An area in hundredths of a square metre as `1234.50`.
pub fn area_words(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// `part / whole` as a percentage with one decimal, computed in integers (`66.7%`).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "—".to_owned();
    }
    let tenths = (u128::from(part) * 1000 + u128::from(whole) / 2) / u128::from(whole);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The bar width of `part / whole` in whole percent, capped at 100.
pub fn bar(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        (u128::from(part) * 100 / u128::from(whole)).min(100) as u64
    }
}

/// A refused form field in the reader's words: "label：reason".
pub fn field_words(lang: Lang, label: Msg, reason: &str) -> String {
    Msg::WebFormFieldError.text_with(
        lang,
        &[
            ("field", label.text(lang).into()),
            ("reason", reason.into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statutory_rules_read_as_the_law_says() {
        assert_eq!(
            rule_words(&Rule::ordinary(), Lang::ZhCn),
            "需参与表决的专有部分面积和人数均达到全体的三分之二以上，且参与表决者中专有部分面积和人数均过半数同意。"
        );
        assert_eq!(
            rule_words(&Rule::special(), Lang::ZhCn),
            "需参与表决的专有部分面积和人数均达到全体的三分之二以上，且参与表决者中专有部分面积和人数均四分之三以上同意。"
        );
        assert!(
            rule_words(&Rule::ordinary(), Lang::En).starts_with(
                "The floor area and owners taking part must each be at least two thirds"
            )
        );
    }

    #[test]
    fn an_estates_addition_shows_in_the_words() {
        let extra = Rule {
            participation: vec![],
            approval: vec![Threshold::new(
                Measure::Units,
                Comparison::AtLeast,
                Fraction::parse("4/5").unwrap(),
                Base::Total,
            )],
        };
        let words = rule_words(&Rule::ordinary().and(&extra), Lang::ZhCn);
        assert!(words.contains("全体业主中户数五分之四以上同意"), "{words}");
    }

    #[test]
    fn an_election_is_worded_for_candidates() {
        let words = election_rule_words(&Rule::ordinary(), 2, Lang::ZhCn);
        assert_eq!(
            words,
            "需参与表决的专有部分面积和人数均达到全体的三分之二以上，且得票最多的 2 名候选人当选，每名当选人须获参与表决者中专有部分面积和人数均过半数的选票。"
        );
        assert!(!words.contains("同意"), "{words}");
        let en = election_rule_words(&Rule::ordinary(), 2, Lang::En);
        assert!(
            en.contains("the 2 candidates with the most votes are elected"),
            "{en}"
        );
    }

    #[test]
    fn consultation_answers_are_punctuated_in_the_readers_language() {
        let answers = serde_json::json!({ "方案": ["甲方案"], "时间": ["周六", "周日"] });
        assert_eq!(
            choice_words("consultation", Some(&answers), Lang::ZhCn),
            "方案：甲方案；时间：周六、周日"
        );
        assert_eq!(
            choice_words("consultation", Some(&answers), Lang::En),
            "方案: 甲方案; 时间: 周六, 周日"
        );
    }

    #[test]
    fn receipts_names_and_percentages() {
        assert_eq!(short_receipt("9f3a21c07b44deadbeef"), "9F3A-21C0-7B44");
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(1, 0), "—");
        assert_eq!(bar(3, 2), 100);
        assert_eq!(area_words(12345), "123.45");
    }
}
