//! The database and language options shared by the command-line tools that work on the
//! service's own database (`keys`, `audit`, `backup`): resolved exactly as `gongjue serve` does.

use std::path::PathBuf;

use clap::Args;
use gongjue_store::Store;
use gongjue_store::files::Tightened;

use crate::config;
use crate::export::wrap::{self, KeyWrap, SecureError, Secured, Unreadable};
use crate::i18n::{Lang, Msg};

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// TOML file of `gongjue serve`; its `database_url` is used unless --database-url is given.
    #[arg(long, env = "GONGJUE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The database, as for `gongjue serve`. [default: sqlite://./data/gongjue.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// The server's secret file, as for `gongjue serve` (the estates' private signing keys are
    /// stored encrypted under a key derived from it). [default: ./data/secret.key]
    #[arg(long, env = "GONGJUE_SECRET_FILE", value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// Language of the report: zh-CN or en [default: from LANG, else zh-CN].
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// Tells the operator which files were narrowed to owner-only (on standard error).
pub fn say_narrowed(narrowed: &[Tightened], lang: Lang) {
    for t in narrowed {
        eprintln!(
            "{}",
            Msg::CliModeNarrowed.text_with(
                lang,
                &[
                    ("path", (&t.path.display().to_string()).into()),
                    ("was", (&format!("{:04o}", t.was)).into()),
                    ("now", (&format!("{:04o}", t.now)).into()),
                ],
            )
        );
    }
}

/// The refusal for a key that the secret file `secret` cannot unwrap: which key, what to do.
pub fn unreadable_text(key: &Unreadable, secret: &std::path::Path, lang: Lang) -> String {
    Msg::CliKeyUnreadable.text_with(
        lang,
        &[
            ("kid", (&key.kid).into()),
            ("estate", (&key.estate).into()),
            ("secret", (&secret.display().to_string()).into()),
        ],
    )
}

/// What securing the keys did, told on standard error (kids only).
pub fn say_secured(secured: &Secured, lang: Lang) {
    if !secured.wrapped.is_empty() {
        eprintln!(
            "{}",
            Msg::CliKeysWrapped.text_with(lang, &[("kids", (&secured.wrapped.join(", ")).into())])
        );
    }
    for key in &secured.unreadable_retired {
        eprintln!(
            "{}",
            Msg::CliKeyUnreadableRetired.text_with(
                lang,
                &[("kid", (&key.kid).into()), ("estate", (&key.estate).into())],
            )
        );
    }
}

impl DatabaseArgs {
    /// Opens (and migrates, as `serve` would) the configured database.
    pub fn open(&self) -> Result<Store, String> {
        let url = config::database_url(self.config.as_deref(), self.database_url.clone())
            .map_err(|e| e.to_string())?;
        let narrowed = config::prepare_sqlite_dir(&url).map_err(|e| e.to_string())?;
        say_narrowed(&narrowed, self.lang());
        Store::open_for_tool(&url).map_err(|e| e.to_string())
    }

    /// The secret file as `serve` resolves it.
    pub fn secret_path(&self) -> Result<PathBuf, String> {
        config::secret_file(self.config.as_deref(), self.secret_file.clone())
            .map_err(|e| e.to_string())
    }

    /// Opens the database with the secret file (created if missing, as `serve` does), after
    /// the same check as `serve`: every active key must unwrap with it, and keys an earlier
    /// version stored in plaintext are wrapped now. `tolerate`: an estate whose active key may
    /// be unreadable (`keys rotate --replace-unreadable` retires it).
    pub fn open_with_secret(
        &self,
        actor: &str,
        tolerate: Option<&str>,
    ) -> Result<(Store, KeyWrap), String> {
        let store = self.open()?;
        let path = self.secret_path()?;
        let secret = config::load_or_create_secret(&path).map_err(|e| e.to_string())?;
        let narrowed: Vec<Tightened> =
            gongjue_store::files::tighten(&path, gongjue_store::files::FILE_MODE)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .into_iter()
                .collect();
        say_narrowed(&narrowed, self.lang());
        let key_wrap = KeyWrap::from_secret(&secret);
        match wrap::secure_stored(&store, &key_wrap, actor, tolerate) {
            Ok(secured) => say_secured(&secured, self.lang()),
            Err(SecureError::Unreadable(key)) => {
                return Err(unreadable_text(&key, &path, self.lang()));
            }
            Err(e) => return Err(e.to_string()),
        }
        Ok((store, key_wrap))
    }

    pub fn lang(&self) -> Lang {
        Lang::for_cli(self.lang.as_deref())
    }
}
