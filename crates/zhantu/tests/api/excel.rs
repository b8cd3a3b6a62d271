//! End-to-end tests of the excel area.

use crate::helpers::TestApp;
use crate::security::Fixtures;

/// How the access test exercises this area's write routes (one entry per route in
/// `zhantu_web::excel_api::WRITE_ROUTES`).
pub(crate) async fn write_fixtures(_app: &TestApp) -> Fixtures {
    Vec::new()
}
