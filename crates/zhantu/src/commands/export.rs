//! `zhantu export` (to be built).

use super::CliError;

#[derive(clap::Args)]
pub struct Args {}

pub async fn run(_args: Args) -> Result<(), CliError> {
    Err(CliError("尚未实现".into()))
}
