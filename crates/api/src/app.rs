//! The application: routes, extractor limits, middleware and the server around them.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::dev::{ServiceFactory, ServiceRequest};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, UtoipaApp};

use crate::edge::edge;
use crate::error::ApiError;
use crate::routes::{self, ApiDoc};
use crate::state::AppState;
use crate::usecases::UseCaseError;

/// Body limits: JSON requests are small; a roster file of a large estate is a few MB.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub json_bytes: usize,
    pub upload_bytes: usize,
}

async fn no_route() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NoRoute)
}

/// The JSON API's routes, registered with their OpenAPI annotations.
fn api_routes<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(routes::healthz)
        .service(routes::exports::jwks)
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure))
}

/// The OpenAPI document served at `/api/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, mut document) =
        api_routes(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    // The routes' paths are only known here, after the app collected them.
    routes::openapi::finish(&mut document);
    document
}

/// Starts serving on `listener` (bind port 0 in tests); the returned server runs until stopped
/// or until SIGINT/SIGTERM, then finishes in-flight requests within `shutdown`.
pub fn serve(
    listener: TcpListener,
    state: AppState,
    limits: BodyLimits,
    workers: usize,
    shutdown: Duration,
) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    // Built and serialised once, not per worker or request.
    let document =
        web::Bytes::from(serde_json::to_vec(&openapi_document()).map_err(std::io::Error::other)?);
    let server = HttpServer::new(move || {
        let (app, _) = api_routes(
            App::new()
                .into_utoipa_app()
                .app_data(state.clone())
                .app_data(web::Data::new(limits))
                // Routes that take a raw body (an optional JSON object) get the JSON limit too.
                .app_data(web::PayloadConfig::new(limits.json_bytes))
                .app_data(web::PathConfig::default().error_handler(|e, _| {
                    ApiError::from(UseCaseError::invalid("path", e.to_string())).into()
                }))
                .app_data(web::QueryConfig::default().error_handler(|e, _| {
                    ApiError::from(UseCaseError::invalid("query", e.to_string())).into()
                })),
        )
        .split_for_parts();
        let document = document.clone();
        app.route(
            "/api/openapi.json",
            web::get().to(move |_: HttpRequest| {
                let document = document.clone();
                async move {
                    HttpResponse::Ok()
                        .content_type("application/json")
                        .body(document)
                }
            }),
        )
        .configure(crate::web::configure)
        .default_service(web::to(no_route))
        .wrap(from_fn(crate::web::html_errors))
        .wrap(Compress::default())
        .wrap(from_fn(edge))
    })
    .workers(workers.max(1))
    .shutdown_timeout(shutdown.as_secs())
    .listen(listener)?
    .run();
    Ok(server)
}
