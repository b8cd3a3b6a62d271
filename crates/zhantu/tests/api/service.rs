//! End-to-end tests of the service area.

use crate::helpers::TestApp;
use crate::security::Fixtures;

/// How the access test exercises this area's write routes (one entry per route in
/// `zhantu_web::service_api::WRITE_ROUTES`).
pub(crate) async fn write_fixtures(_app: &TestApp) -> Fixtures {
    Vec::new()
}
