//! Who owns a record that a request names by id: the store's half of the one scope check of
//! ids in write requests (the rule itself is the domain's `Actor::may_name`).

use crate::{Store, StoreError};
use zhantu_domain::access::{Owner, RefKind};

/// One query per kind: the owning units of the record (a row per owner), or a constant row
/// for the district's own records; no row when there is no such record.
fn query(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Unit => "SELECT id AS unit_id FROM units WHERE id = $1",
        RefKind::Project => "SELECT unit_id FROM projects WHERE id = $1",
        RefKind::Node => {
            "SELECT p.unit_id FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.id = $1 \
             UNION ALL SELECT responsible_unit_id FROM nodes WHERE id = $1"
        }
        RefKind::Person => "SELECT unit_id FROM people WHERE id = $1",
        // A district leader belongs to no unit's scope: -1 stands for "the district".
        RefKind::Leader => "SELECT CASE WHEN is_leader <> 0 THEN CAST(-1 AS BIGINT) ELSE unit_id END AS unit_id FROM people WHERE id = $1",
        RefKind::Enterprise => "SELECT CAST(-1 AS BIGINT) AS unit_id FROM enterprises WHERE id = $1",
        RefKind::Visit => "SELECT unit_id FROM enterprise_visits WHERE id = $1",
        RefKind::Lead => "SELECT team_unit_id AS unit_id FROM attraction_leads WHERE id = $1",
        RefKind::Problem => "SELECT unit_id FROM problems WHERE id = $1",
        RefKind::Report => "SELECT p.unit_id FROM progress_reports r JOIN projects p ON p.id = r.project_id WHERE r.id = $1",
        RefKind::User => "SELECT unit_id FROM users WHERE id = $1",
        RefKind::Batch => "SELECT CAST(-1 AS BIGINT) AS unit_id FROM batches WHERE id = $1",
        RefKind::Campaign => "SELECT CAST(-1 AS BIGINT) AS unit_id FROM campaigns WHERE id = $1",
        RefKind::SupervisionRound => "SELECT CAST(-1 AS BIGINT) AS unit_id FROM supervision_rounds WHERE id = $1",
        RefKind::Category => "SELECT CAST(-1 AS BIGINT) AS unit_id FROM categories WHERE id = $1",
    }
}

impl Store {
    /// The owner of the record of `kind` numbered `id`; `None` when there is none.
    pub async fn owner(&self, kind: RefKind, id: i64) -> Result<Option<Owner>, StoreError> {
        let units: Vec<i64> = sqlx::query_scalar(query(kind)).bind(id).fetch_all(&self.pool).await?;
        Ok(match units.as_slice() {
            [] => None,
            u if u.contains(&-1) => Some(Owner::District),
            u => Some(Owner::Units(u.to_vec())),
        })
    }
}
