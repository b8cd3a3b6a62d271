pub mod audit;
pub mod bench;
pub mod copy;
pub mod demo;
pub mod export;
pub mod generate;
pub mod import;
pub mod init;
pub mod job;
pub mod migrate;
pub mod report;
pub mod serve;
pub mod user;

use std::fmt;

/// An error the CLI prints as `错误：…` before exiting with status 1.
#[derive(Debug)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<zhantu_store::StoreError> for CliError {
    fn from(e: zhantu_store::StoreError) -> Self {
        CliError(e.to_string())
    }
}

/// Where the demo and `serve` keep their database by default.
pub const DEFAULT_DATA_DIR: &str = "zhantu-data";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
