//! The building volunteer's phone pages (楼组长, issue 19): their buildings' turnout against the
//! 2/3 lines and who has not voted yet, a door visit recorded in one tap, the paper forms they
//! collect entered on the paper page (confirmed later by a secretary), a printable door list;
//! and the secretary's page that creates volunteers. The rules are `usecases::volunteers`'.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::usecases::UseCaseError;
use crate::usecases::volunteers::{self, CreateVolunteer, Round, VisitRequest};
use crate::web::dashboard::{grouped, grouped_area};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page, field};
use crate::web::staff::staff_of;

struct AreaItemView {
    title: String,
    turnout: String,
    status: String,
    reached: bool,
}

struct AreaView {
    label: String,
    items: Vec<AreaItemView>,
}

struct DoorView {
    voter: String,
    name: String,
    units: String,
    first_unit: String,
    last_visit: Option<String>,
}

struct RoundView {
    id: String,
    title: String,
    closes: String,
    areas: Vec<AreaView>,
    doors_heading: String,
    doors: Vec<DoorView>,
}

#[derive(Template)]
#[template(path = "web/volunteer.html")]
struct VolunteerPage {
    p: Page,
    areas: String,
    rounds: Vec<RoundView>,
}

#[derive(Template)]
#[template(path = "web/volunteer_doors.html")]
struct DoorListPage {
    p: Page,
    round: RoundView,
}

fn area_words(key: &str, lang: Lang) -> String {
    match key.split_once('-') {
        Some((building, stairwell)) => Msg::WebVolunteerStairwell.text_with(
            lang,
            &[
                ("building", building.into()),
                ("stairwell", stairwell.into()),
            ],
        ),
        None => Msg::WebVolunteerBuilding.text_with(lang, &[("building", key.into())]),
    }
}

fn outcome_words(outcome: &str, lang: Lang) -> &'static str {
    match outcome {
        "not_home" => Msg::WebVisitNotHome.text(lang),
        "will_vote_online" => Msg::WebVisitOnline.text(lang),
        "paper_collected" => Msg::WebVisitPaper.text(lang),
        _ => Msg::WebVisitRefused.text(lang),
    }
}

fn round_view(round: Round, lang: Lang) -> RoundView {
    let areas =
        round
            .areas
            .into_iter()
            .map(|a| AreaView {
                label: area_words(&a.area, lang),
                items: a
                    .items
                    .into_iter()
                    .map(|i| {
                        let reached = i.missing_heads == 0 && i.missing_area == "0.00";
                        AreaItemView {
                            turnout: Msg::WebVolunteerTurnout.text_with(
                                lang,
                                &[
                                    ("heads", (&grouped(i.participation.heads)).into()),
                                    ("total_heads", (&grouped(i.totals.heads)).into()),
                                    ("area", (&grouped_area(i.participation.area.cents())).into()),
                                    ("total_area", (&grouped_area(i.totals.area.cents())).into()),
                                ],
                            ),
                            status: if reached {
                                Msg::WebVolunteerReached.text(lang).to_owned()
                            } else {
                                // Only what is still short: heads, area, or both.
                                let mut short = Vec::new();
                                if i.missing_heads > 0 {
                                    short.push(Msg::WebVolunteerHeads.text_with(
                                        lang,
                                        &[("n", (&grouped(i.missing_heads)).into())],
                                    ));
                                }
                                if i.missing_area != "0.00" {
                                    short.push(Msg::WebVolunteerAreaShort.text_with(
                                        lang,
                                        &[("area", i.missing_area.as_str().into())],
                                    ));
                                }
                                Msg::WebVolunteerMissing.text_with(
                                    lang,
                                    &[(
                                        "what",
                                        short.join(Msg::ListSeparator.text(lang)).as_str().into(),
                                    )],
                                )
                            },
                            reached,
                            title: i.title,
                        }
                    })
                    .collect(),
            })
            .collect();
    let doors: Vec<DoorView> = round
        .doors
        .into_iter()
        .map(|d| DoorView {
            first_unit: d.units.first().cloned().unwrap_or_default(),
            units: d.units.join(Msg::ListSeparator.text(lang)),
            last_visit: d.last_visit.map(|v| {
                Msg::WebVolunteerLastVisit.text_with(
                    lang,
                    &[
                        ("at", (&local_time(&v.visited_at)).into()),
                        ("outcome", outcome_words(&v.outcome, lang).into()),
                    ],
                )
            }),
            name: d.name,
            voter: d.voter,
        })
        .collect();
    RoundView {
        doors_heading: if doors.is_empty() {
            Msg::WebVolunteerNoDoors.text(lang).to_owned()
        } else {
            Msg::WebVolunteerDoors.text_with(lang, &[("n", doors.len().into())])
        },
        closes: Msg::WebVolunteerCloses
            .text_with(lang, &[("at", (&local_time(&round.closes_at)).into())]),
        id: round.assembly,
        title: round.title,
        areas,
        doors,
    }
}

/// `GET /volunteer`: the round of every open assembly of the volunteer's estate.
pub async fn home(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let lang = ctx.lang;
    let (areas, rounds) = db(ctx.state()?, move |store| {
        staff.volunteers(&staff.estate)?;
        let areas = store.volunteer_areas(&staff.user, &staff.estate)?;
        let rounds = store
            .estate_assemblies(&staff.estate)?
            .into_iter()
            .filter(|a| a.state == "open")
            .map(|a| volunteers::round(store, &staff, &a.id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((areas, rounds))
    })
    .await?;
    let areas = areas
        .iter()
        .map(|a| {
            let key = if a.stairwell.is_empty() {
                a.building.clone()
            } else {
                format!("{}-{}", a.building, a.stairwell)
            };
            area_words(&key, lang)
        })
        .collect::<Vec<_>>()
        .join(Msg::ListSeparator.text(lang));
    ctx.ok(&VolunteerPage {
        p: ctx.page(Msg::WebVolunteerTitle.text(lang)),
        areas: Msg::WebVolunteerAreas.text_with(lang, &[("areas", areas.as_str().into())]),
        rounds: rounds.into_iter().map(|r| round_view(r, lang)).collect(),
    })
}

/// `POST /volunteer/assemblies/{id}/visits`: `voter`, `outcome` and a `note`; back to the
/// member's card.
pub async fn visit(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let assembly = path.into_inner();
    let request = VisitRequest {
        voter: field(&form, "voter").unwrap_or_default().to_owned(),
        outcome: field(&form, "outcome").unwrap_or_default().to_owned(),
        note: field(&form, "note").unwrap_or_default().to_owned(),
        visited_at: None,
    };
    let anchor = format!("member-{}", request.voter);
    db(ctx.state()?, move |store| {
        volunteers::record_visit(store, &staff, &assembly, request)
    })
    .await?;
    Ok(ctx.redirect(&format!("/volunteer#{anchor}")).finish())
}

/// `GET /volunteer/assemblies/{id}/doors`: the door list to print (members who have not voted
/// yet, with a box for each outcome).
pub async fn door_list(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let lang = ctx.lang;
    let assembly = path.into_inner();
    let round = db(ctx.state()?, move |store| {
        volunteers::round(store, &staff, &assembly)
    })
    .await?;
    ctx.ok(&DoorListPage {
        p: ctx.page(Msg::WebVolunteerDoorListTitle.text(lang)),
        round: round_view(round, lang),
    })
}

struct VolunteerLine {
    words: String,
}

#[derive(Template)]
#[template(path = "web/staff_volunteers.html")]
struct StaffVolunteersPage {
    p: Page,
    volunteers: Vec<VolunteerLine>,
    /// The new volunteer's password, shown once.
    created: Option<String>,
    error: Option<String>,
}

async fn staff_page(
    ctx: &Ctx,
    created: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    let estate = staff.estate.clone();
    let list = db(ctx.state()?, move |store| {
        volunteers::list(store, &staff, &estate)
    })
    .await?;
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    ctx.html(
        status,
        &StaffVolunteersPage {
            p: ctx.page(Msg::WebVolunteers.text(lang)),
            volunteers: list
                .into_iter()
                .map(|v| VolunteerLine {
                    words: Msg::WebVolunteerLine.text_with(
                        lang,
                        &[
                            ("name", v.display_name.as_str().into()),
                            ("login", v.login.as_str().into()),
                            (
                                "areas",
                                v.areas
                                    .iter()
                                    .map(|a| area_words(a, lang))
                                    .collect::<Vec<_>>()
                                    .join(Msg::ListSeparator.text(lang))
                                    .as_str()
                                    .into(),
                            ),
                        ],
                    ),
                })
                .collect(),
            created,
            error,
        },
    )
}

/// `GET /staff/volunteers`: the estate's volunteers and the form that adds one.
pub async fn staff_list(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    staff_page(&ctx, None, None).await
}

fn list_of(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `POST /staff/volunteers`: `login`, `display_name`, `buildings`, `stairwells`. The password is
/// shown once on the page that answers.
pub async fn create(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let lang = ctx.lang;
    let request = CreateVolunteer {
        login: field(&form, "login").unwrap_or_default().to_owned(),
        display_name: field(&form, "display_name").unwrap_or_default().to_owned(),
        buildings: list_of(field(&form, "buildings").unwrap_or_default()),
        stairwells: list_of(field(&form, "stairwells").unwrap_or_default()),
    };
    let estate = staff.estate.clone();
    let created = db(ctx.state()?, move |store| {
        volunteers::create(store, &staff, &estate, request)
    })
    .await;
    match created {
        Ok(created) => {
            let words = Msg::WebVolunteerCreated.text_with(
                lang,
                &[
                    ("login", created.volunteer.login.as_str().into()),
                    ("password", created.password.as_str().into()),
                ],
            );
            staff_page(&ctx, Some(words), None).await
        }
        Err(ApiError::UseCase(UseCaseError::Invalid { msg, field, .. })) => {
            let label = match field.split('[').next().unwrap_or_default() {
                "login" => Msg::WebVolunteerLogin,
                "display_name" => Msg::WebVolunteerName,
                "stairwells" => Msg::WebVolunteerStairwells,
                _ => Msg::WebVolunteerBuildings,
            };
            let text = crate::web::words::field_words(lang, label, msg.text(lang));
            staff_page(&ctx, None, Some(text)).await
        }
        Err(e) => Err(e),
    }
}
