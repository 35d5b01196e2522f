//! The estate log's public page (`/log/{estate}`): every checkpoint in Beijing time with who
//! cosigned it, the keys that verify them, and the files to download; and the checkpoint box
//! the notice and the owners' pages show (a short root to compare by eye, and a QR code of the
//! whole signed note, so that a photo of the notice board keeps the checkpoint itself).

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::blocking::run;
use crate::error::ApiError;
use crate::i18n::{Arg, Lang, Msg};
use crate::usecases::log::{self, CheckpointOut, LogOverview};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Page};

/// A checkpoint as an owner reads it.
pub struct CheckpointBox {
    /// "日志检查点：共 N 条记录，根哈希 abcd …（时间，北京时间）".
    pub line: String,
    /// Keep it; all checkpoints at URL.
    pub hint: String,
    pub url: String,
    /// Inline SVG of the whole signed note (empty where no QR is wanted).
    pub qr: String,
}

impl CheckpointBox {
    pub fn new(
        c: &CheckpointOut,
        lang: Lang,
        public_url: &str,
        estate: &str,
        with_qr: bool,
    ) -> Result<CheckpointBox, ApiError> {
        let url = crate::mail::compose::log_page(public_url, estate);
        Ok(CheckpointBox {
            line: Msg::LogCheckpointLine.text_with(
                lang,
                &[
                    ("size", Arg::Number(c.size)),
                    ("root", c.short_root.as_str().into()),
                    ("at", local_time(&c.created_at).as_str().into()),
                ],
            ),
            hint: Msg::LogCheckpointHint.text_with(lang, &[("url", url.as_str().into())]),
            qr: if with_qr {
                crate::web::print::qr_svg(&c.note)?
            } else {
                String::new()
            },
            url,
        })
    }
}

/// The newest checkpoint of the estate's log as a box, if it has one.
pub async fn newest(
    ctx: &Ctx,
    estate: &str,
    with_qr: bool,
) -> Result<Option<CheckpointBox>, ApiError> {
    let state = ctx.state()?;
    let estate_id = estate.to_owned();
    let newest = run(state, move |app| Ok(log::shown(app, &estate_id))).await?;
    newest
        .map(|c| CheckpointBox::new(&c, ctx.lang, &state.public_url, estate, with_qr))
        .transpose()
}

struct Row {
    at: String,
    reason: String,
    size: i64,
    short_root: String,
    cosigned_by: String,
    dissented_by: String,
}

#[derive(Template)]
#[template(path = "web/log.html")]
struct LogPage {
    p: Page,
    estate: String,
    api: String,
    rows: Vec<Row>,
    keys: Vec<String>,
    witnesses: Vec<(String, String)>,
}

fn reason_words(reason: &str) -> Msg {
    match reason {
        "setup" => Msg::WebLogReasonSetup,
        "announced" => Msg::WebLogReasonAnnounced,
        "opened" => Msg::WebLogReasonOpened,
        "daily" => Msg::WebLogReasonDaily,
        "closed" => Msg::WebLogReasonClosed,
        "before-final" | "final" => Msg::WebLogReasonFinal,
        _ => Msg::WebLogReasonRequested,
    }
}

/// `GET /log/{estate}`: public, like the checkpoints and proofs it lists.
pub async fn page(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let estate_id = path.into_inner();
    let lang = ctx.lang;
    let (name, overview): (String, LogOverview) = run(ctx.state()?, {
        let estate_id = estate_id.clone();
        move |app| {
            Ok((
                app.store.estate(&estate_id)?.name,
                log::overview(app, &estate_id)?,
            ))
        }
    })
    .await?;
    let rows = overview
        .checkpoints
        .iter()
        .rev()
        .map(|c| Row {
            at: local_time(&c.created_at),
            reason: reason_words(&c.reason).text(lang).to_owned(),
            size: c.size,
            short_root: c.short_root.clone(),
            cosigned_by: c.cosigned_by.join("、"),
            dissented_by: c.dissented_by.join("、"),
        })
        .collect();
    ctx.ok(&LogPage {
        p: ctx.page(Msg::WebLogTitle.text(lang)),
        api: format!("/api/v1/estates/{estate_id}/log"),
        estate: name,
        rows,
        keys: overview.verifier_keys,
        witnesses: overview
            .witnesses
            .into_iter()
            .map(|w| (w.name, local_time(&w.added_at)))
            .collect(),
    })
}
