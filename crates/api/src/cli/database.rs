//! The database and language options shared by the command-line tools that work on the
//! service's own database (`keys`, `audit`): resolved exactly as `gongjue serve` does.

use std::path::PathBuf;

use clap::Args;
use gongjue_store::Store;

use crate::config;
use crate::i18n::Lang;

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// TOML file of `gongjue serve`; its `database_url` is used unless --database-url is given.
    #[arg(long, env = "GONGJUE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The database, as for `gongjue serve`. [default: sqlite://./data/gongjue.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Language of the report: zh-CN or en [default: from LANG, else zh-CN].
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

impl DatabaseArgs {
    /// Opens (and migrates, as `serve` would) the configured database.
    pub fn open(&self) -> Result<Store, String> {
        let url = config::database_url(self.config.as_deref(), self.database_url.clone())
            .map_err(|e| e.to_string())?;
        config::prepare_sqlite_dir(&url).map_err(|e| e.to_string())?;
        Store::open_for_tool(&url).map_err(|e| e.to_string())
    }

    pub fn lang(&self) -> Lang {
        Lang::for_cli(self.lang.as_deref())
    }
}
