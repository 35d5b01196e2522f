//! `gongjue serve`: opens the database (migrating it), loads the secret, and serves until
//! SIGINT/SIGTERM, letting in-flight requests finish.

use std::io::IsTerminal;
use std::net::TcpListener;
use std::process::ExitCode;

use gongjue_store::Store;
use tracing_subscriber::EnvFilter;

use crate::app;
use crate::cli::database::unreadable_text;
use crate::config::{self, ServeArgs};
use crate::export::wrap::{self, KeyWrap, SecureError};
use crate::files;
use crate::i18n::Lang;
use crate::mail::schedule;
use crate::mail::settings::TransportSettings;
use crate::mail::worker::Worker;
use crate::retention;
use crate::state::AppState;

pub fn run(args: ServeArgs) -> ExitCode {
    let settings = match args.resolve() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("gongjue serve: {e}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_new(&settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Colour codes only on a terminal: a log file or a pipe gets plain text.
        .with_ansi(std::io::stdout().is_terminal())
        .try_init();
    match serve(settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "gongjue serve stopped");
            eprintln!("gongjue serve: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: config::Settings) -> Result<(), Box<dyn std::error::Error>> {
    let mail_dir = match &settings.mail.transport {
        TransportSettings::File { dir } => Some(dir.clone()),
        TransportSettings::Smtp(_) => None,
    };
    // Owner-only files and folders (issue 17): what an earlier version left wider is narrowed.
    let modes = files::secure_at_start(
        &settings.database_url,
        &settings.secret_file,
        mail_dir.as_deref(),
    )?;
    for t in &modes.tightened {
        tracing::warn!(path = %t.path.display(), was = %format!("{:04o}", t.was), now = %format!("{:04o}", t.now), "access narrowed to the owner");
    }
    for (dir, mode) in &modes.open_dirs {
        tracing::warn!(path = %dir.display(), mode = %format!("{mode:04o}"), "this folder holds the service's files and others may list it; make it owner-only (chmod 700)");
    }
    let secret = config::load_or_create_secret(&settings.secret_file)?;
    let store = Store::open_waiting(&settings.database_url, settings.db_waits)?;
    tracing::info!(backend = ?store.backend(), "database ready");
    // Private signing keys: every active one must unwrap with this secret; plaintext ones of
    // an earlier version are wrapped now, in one transaction.
    match wrap::secure_stored(&store, &KeyWrap::from_secret(&secret), "system", None) {
        Ok(secured) => {
            if !secured.wrapped.is_empty() {
                tracing::info!(kids = %secured.wrapped.join(","), "signing keys stored in plaintext by an earlier version are now wrapped");
            }
            for key in &secured.unreadable_retired {
                tracing::warn!(kid = %key.kid, estate = %key.estate, "a retired signing key cannot be unwrapped with this secret file; it no longer signs, and its public key stays published");
            }
        }
        Err(SecureError::Unreadable(key)) => {
            return Err(unreadable_text(&key, &settings.secret_file, Lang::for_cli(None)).into());
        }
        Err(e) => return Err(e.into()),
    }
    let listener = TcpListener::bind(&settings.bind)?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    let reminders = schedule::run(
        store.clone(),
        settings.public_url.clone(),
        settings.mail.reminder_hours.clone(),
        std::time::Duration::from_secs(60),
    );
    let pickup = mail_dir.clone().map(|dir| {
        retention::run_pickup(
            store.clone(),
            dir,
            settings.mail.pickup,
            retention::PICKUP_EVERY,
        )
    });
    let retention = retention::run(
        store.clone(),
        settings.contact_retention_days,
        mail_dir,
        retention::EVERY,
    );
    let state = AppState::new(
        store,
        &secret,
        settings.token_ttl,
        settings.limits,
        settings.attempt_window,
    )
    .with_public_url(&settings.public_url)
    .with_sms(settings.sms.clone())
    .with_trusted_proxies(settings.trusted_proxies.clone());
    let mail = settings.mail.clone();
    let mail_store = state.store.clone();
    let sms_store = state.store.clone();
    let log_state = state.clone();
    actix_web::rt::System::new().block_on(async move {
        // Built inside the runtime: lettre's SMTP pool starts a Tokio task when it is built
        // (outside a runtime `--mail-transport smtp` panicked at start-up).
        let mailer = Worker::new(mail_store, &mail)?;
        // The outbox worker lives as long as the server; stopping drops it between two steps,
        // and a message in flight is sent again after its lease (see mail::worker).
        let worker = actix_web::rt::spawn(mailer.run());
        // SMS leave through the same outbox, on their own worker and timing.
        let texter = crate::sms::worker::SmsWorker::new(sms_store, &settings.sms, mail.timing)?;
        let texting = actix_web::rt::spawn(texter.run());
        let scheduler = actix_web::rt::spawn(reminders);
        // Contact data past its retention period, once an hour (nothing with 0 days).
        let eraser = actix_web::rt::spawn(retention);
        // Invitation files past the pickup period (file transport only).
        let pickup = pickup.map(actix_web::rt::spawn);
        // The transparency log's daily checkpoints while voting runs (checked hourly).
        let checkpoints = actix_web::rt::spawn(crate::usecases::log::daily(
            log_state,
            std::time::Duration::from_secs(3600),
        ));
        // Memory a large request freed goes back to the system (memory.rs).
        let trimmer = actix_web::rt::spawn(crate::memory::release_freed(
            std::time::Duration::from_secs(2),
        ));
        let server = app::serve(
            listener,
            state,
            settings.body,
            settings.workers,
            settings.shutdown_timeout,
        )?;
        let served = server.await;
        worker.abort();
        texting.abort();
        scheduler.abort();
        eraser.abort();
        checkpoints.abort();
        trimmer.abort();
        if let Some(pickup) = pickup {
            pickup.abort();
        }
        served.map_err(Box::<dyn std::error::Error>::from)
    })?;
    tracing::info!("stopped");
    Ok(())
}
