//! Runs use cases and store work on the blocking pool, off the async workers: the store and
//! the use cases are synchronous (diesel, argon2), the HTTP edge is not.

use actix_web::web;
use gongjue_store::Store;

use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::UseCaseError;

/// Runs `f` with the store on the blocking pool.
pub async fn db<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Store) -> Result<T, UseCaseError> + Send + 'static,
{
    let store = state.store.clone();
    Ok(web::block(move || timed(|| f(&store))).await??)
}

/// Runs a use case (which may need the keys and settings as well as the store) on the
/// blocking pool.
pub async fn run<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, UseCaseError> + Send + 'static,
{
    let state = state.clone();
    Ok(web::block(move || timed(|| f(&state))).await??)
}

/// Runs `f`, telling the memory trim how long it took (see `memory::work_done`).
fn timed<T>(f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let out = f();
    crate::memory::work_done(started.elapsed());
    out
}
