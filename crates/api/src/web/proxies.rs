//! Proxies (委托): the assembly's written authorizations, and a form to record one with its
//! reference, for the whole assembly or some items. Recorded by the API's own function; the
//! member's own ballot always supersedes the proxy's.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;
use crate::usecases::proxies::{ProxyRequest, record_proxy};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page, field};
use crate::web::staff::{staff_of, staff_writing};

struct ProxyRow {
    member: String,
    holder: String,
    scope: String,
    document_ref: String,
    recorded_at: String,
}

struct ItemChoice {
    id: String,
    title: String,
}

#[derive(Template)]
#[template(path = "web/proxies.html")]
struct ProxiesPage {
    p: Page,
    id: String,
    title: String,
    rows: Vec<ProxyRow>,
    items: Vec<ItemChoice>,
    error: Option<String>,
}

async fn page(ctx: &Ctx, id: String, error: Option<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    let (title, rows, items) = db(ctx.state()?, {
        let id = id.clone();
        move |store| {
            let assembly = store.assembly(&id)?;
            staff.reads(&assembly.estate_id)?;
            let contacts = store.owner_contacts(&assembly.estate_id)?;
            let who = |owner: &str| {
                let c = contacts.get(owner);
                format!(
                    "{} {} ({owner})",
                    c.map(|c| c.units.join("、")).unwrap_or_default(),
                    c.and_then(|c| c.name.clone()).unwrap_or_default()
                )
            };
            let rows = store
                .assembly_proxies(&id)?
                .into_iter()
                .map(|p| ProxyRow {
                    member: who(&p.member),
                    holder: who(&p.holder),
                    scope: if p.whole_assembly {
                        Msg::WebWholeAssembly.text(lang).to_owned()
                    } else {
                        Msg::WebSomeItems.text(lang).to_owned()
                    },
                    document_ref: p.document_ref,
                    recorded_at: local_time(&p.recorded_at),
                })
                .collect();
            let items = store
                .items(&id)?
                .into_iter()
                .map(|i| ItemChoice {
                    id: i.id,
                    title: i.title,
                })
                .collect();
            Ok((assembly.title, rows, items))
        }
    })
    .await?;
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    ctx.html(
        status,
        &ProxiesPage {
            p: ctx.page(Msg::WebProxies.text(lang)),
            id,
            title,
            rows,
            items,
            error,
        },
    )
}

pub async fn list(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    page(&ctx, path.into_inner(), None).await
}

pub async fn record(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = staff_writing(&ctx, &id).await?;
    let request = ProxyRequest {
        member: field(&form, "member").unwrap_or_default().trim().to_owned(),
        holder: field(&form, "holder").unwrap_or_default().trim().to_owned(),
        items: form
            .iter()
            .filter(|(k, _)| k == "item")
            .map(|(_, v)| v.clone())
            .collect(),
        document_ref: field(&form, "document_ref").unwrap_or_default().to_owned(),
    };
    let recorded = {
        let id = id.clone();
        db(ctx.state()?, move |store| {
            record_proxy(store, &staff, &id, request)
        })
        .await
    };
    match recorded {
        Ok(_) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{id}/proxies"))
            .finish()),
        Err(ApiError::UseCase(UseCaseError::Invalid { msg, field, detail })) => {
            page(
                &ctx,
                id,
                Some(format!("{} ({field}: {detail})", msg.text(ctx.lang))),
            )
            .await
        }
        Err(ApiError::UseCase(UseCaseError::Store(
            gongjue_store::StoreError::Invalid(why) | gongjue_store::StoreError::NotFound(why),
        ))) => {
            page(
                &ctx,
                id,
                Some(format!("{} ({why})", Msg::InvalidValue.text(ctx.lang))),
            )
            .await
        }
        Err(other) => Err(other),
    }
}
