//! Who may see and change what. Roles and unit scopes are decided here, once; the web layer
//! asks these functions for every page, API call, export and import.

use crate::labelled::code_labels;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: users, rules, settings; everything.
    Admin,
    /// 发改局（两抓办）: sees and edits everything, verifies close-outs, approves date changes.
    Coordinator,
    /// 单位填报员: edits the projects, nodes, reports and problems of its unit and the units below.
    UnitEditor,
    /// 区领导: reads everything, comments, leads supervision, assesses units.
    Leader,
    /// 查看: reads its unit's scope.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Coordinator, Role::UnitEditor, Role::Leader, Role::Viewer];
}

code_labels!(Role {
    Admin = "admin", "系统管理员", "Administrator";
    Coordinator = "coordinator", "发改局统筹", "Coordinator";
    UnitEditor = "unit_editor", "单位填报员", "Unit editor";
    Leader = "leader", "区领导", "Leader";
    Viewer = "viewer", "查看人员", "Viewer";
});

/// A user name as accounts are keyed by: 1 to 40 ASCII letters, digits, `_`, `-` or `.`,
/// lower-cased (the administration pages, `zhantu user add` and `zhantu init` share it).
pub fn parse_username(input: &str) -> Result<String, crate::ParseError> {
    let s = input.trim();
    if s.is_empty() || s.len() > 40 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
        return Err(crate::ParseError::new(
            "invalid_username",
            "用户名",
            input,
            "应为1到40位字母、数字、下划线、连字符或点",
        ));
    }
    Ok(s.to_lowercase())
}

/// The signed-in user as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// The user's unit and every unit below it.
    pub unit_scope: Vec<i64>,
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a record owned by a unit.
    Read { unit_id: i64 },
    /// Change a project, node, report or problem owned by a unit.
    Edit { unit_id: i64 },
    /// Verify a close-out, approve a date change.
    Verify,
    /// Comment, lead a supervision round, assess units.
    Comment,
    /// Users, rules, settings.
    Administer,
    /// Bulk import from Excel/CSV across units (the coordinators' data desk).
    Import,
    /// Issue (freeze) a report of the cadence.
    IssueReport,
    /// Put projects on the district's lists (项目类别) for a year: the coordinators' call.
    SetCategories,
    /// Record, close or delete the spans an approval clock does not count (业主自主时间,
    /// 暂停): the coordinators' call, like approving a date change, since it moves a limit.
    ExcludeClockTime,
    /// Keep the district's master data (基础数据): units, people and leaders, project types
    /// with their node templates, categories with their targets. District settings are
    /// `Administer`.
    ManageMasterData,
    /// Subscribe other systems to the district's events (webhooks), see their deliveries.
    Subscribe,
    /// Give a project its month's delivery-confidence rating (履约信心评级): the district's
    /// leaders, as the responsible leaders, and the coordinators.
    RateConfidence,
    /// Build the district's package for the city (逐级上报): the district-wide view, so
    /// administrators, the coordinating bureau and district leaders.
    ReadUplink,
    /// Receive the packages of the districts below (a city's or province's zhantu): the
    /// coordinators' desk.
    ReceiveUplink,
    /// Record (or delete) a leader's field-work entry (一线办公): coordinators and
    /// administrators for any leader; a district leader for themself (`own`); a unit's editor
    /// for an entry on a project of their unit (`project_unit_id`).
    RecordFieldWork { project_unit_id: Option<i64>, own: bool },
}

/// Why an action was refused (the web layer turns it into a 403 with this message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub &'static str);

impl Actor {
    pub fn in_scope(&self, unit_id: i64) -> bool {
        self.unit_scope.contains(&unit_id)
    }

    /// Reads everything (not limited to a unit scope)?
    pub fn reads_all(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Coordinator | Role::Leader)
    }

    /// May the actor edit (and so create) the projects of some unit: of their scope for a
    /// unit's editor, of any for coordinators and administrators?
    pub fn may_edit_some_unit(&self) -> Result<(), Denied> {
        self.may(Action::Edit {
            unit_id: self.unit_scope.first().copied().unwrap_or(0),
        })
    }

    pub fn may(&self, action: Action) -> Result<(), Denied> {
        use Role::*;
        let ok = match (self.role, action) {
            (Admin, _) => true,
            (Coordinator, Action::Administer) => false,
            (Coordinator, _) => true,
            (Leader, Action::Read { .. } | Action::Comment | Action::RateConfidence | Action::ReadUplink) => true,
            (UnitEditor | Viewer, Action::Read { unit_id }) => self.in_scope(unit_id),
            (UnitEditor, Action::Edit { unit_id }) => self.in_scope(unit_id),
            (Leader, Action::RecordFieldWork { own, .. }) => own,
            (
                UnitEditor,
                Action::RecordFieldWork {
                    project_unit_id: Some(u), ..
                },
            ) => self.in_scope(u),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        Err(Denied(match action {
            Action::Read { .. } => "无权查看：该记录不属于您所在单位",
            Action::Edit { .. } if self.role == UnitEditor => "无权修改：只能修改本单位及下属单位的项目",
            Action::Edit { .. } => "无权修改：您的角色只能查看",
            Action::Verify => "无权操作：只有发改局统筹人员可以核验销号和审批改期",
            Action::Comment => "无权操作：您的角色不能批示或督查",
            Action::Administer => "无权操作：只有系统管理员可以管理用户和规则",
            Action::Import => "无权操作：只有发改局统筹人员和系统管理员可以批量导入",
            Action::IssueReport => "无权操作：只有发改局统筹人员和系统管理员可以签发报告",
            Action::ExcludeClockTime => "无权操作：只有发改局统筹人员和系统管理员可以登记审批时限的不计时段",
            Action::SetCategories => "无权操作：项目类别（区定清单）只能由发改局统筹人员和系统管理员设置",
            Action::ManageMasterData => "无权操作：只有系统管理员和发改局统筹人员可以维护基础数据",
            Action::Subscribe => "无权操作：只有系统管理员和发改局统筹人员可以管理事件订阅（Webhook）",
            Action::RateConfidence => "无权操作：只有区领导、发改局统筹人员和系统管理员可以给出履约信心评级",
            Action::ReadUplink => "无权操作：上报包含全区项目，只有系统管理员、发改局统筹人员和区领导可以生成",
            Action::ReceiveUplink => "无权操作：只有系统管理员和发改局统筹人员可以接收下级上报",
            Action::RecordFieldWork { .. } => {
                "无权操作：一线办公由发改局统筹人员登记；区领导只能登记本人的，单位填报员只能登记在本单位项目上的"
            }
        }))
    }
}

/// The kind of record an id in a request names. Every id a write request carries in its body
/// (or in a named path segment such as `{project_id}`) is checked against the actor's scope in
/// one place, before any handler runs, by the field's name: [`RefKind::of_field`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    Unit,
    Project,
    Node,
    /// A person named as responsible, visitor…: one of a unit's staff.
    Person,
    /// A 包干领导: a district leader may be named by any unit; a person who is not a leader
    /// counts as their unit's staff.
    Leader,
    Enterprise,
    Visit,
    Lead,
    Problem,
    Report,
    User,
    Batch,
    Campaign,
    SupervisionRound,
    Category,
}

/// Field names (and their kinds) that name a record of the district. A write request with a
/// field ending in `_id` or `_ids` that is not here, nor in [`NOT_RECORD_IDS`], is refused for
/// a unit-scoped actor: a new route cannot carry an id past the scope check by naming it anew.
pub const REF_FIELDS: &[(&str, RefKind)] = &[
    ("unit_id", RefKind::Unit),
    ("unit_ids", RefKind::Unit),
    ("team_unit_id", RefKind::Unit),
    ("project_unit_id", RefKind::Unit),
    ("responsible_unit_id", RefKind::Unit),
    ("parent_id", RefKind::Unit),
    ("into_id", RefKind::Unit),
    ("project_id", RefKind::Project),
    ("project_ids", RefKind::Project),
    ("node_id", RefKind::Node),
    ("node_ids", RefKind::Node),
    ("after_node_id", RefKind::Node),
    ("depends_on_id", RefKind::Node),
    ("person_id", RefKind::Person),
    ("responsible_person_id", RefKind::Person),
    ("visitor_id", RefKind::Person),
    ("leader_id", RefKind::Leader),
    ("enterprise_id", RefKind::Enterprise),
    ("visit_id", RefKind::Visit),
    ("lead_id", RefKind::Lead),
    ("problem_id", RefKind::Problem),
    ("problem_ids", RefKind::Problem),
    ("report_id", RefKind::Report),
    ("user_id", RefKind::User),
    ("batch_id", RefKind::Batch),
    ("campaign_id", RefKind::Campaign),
    ("round_id", RefKind::SupervisionRound),
    ("category_id", RefKind::Category),
    ("category_ids", RefKind::Category),
];

/// Fields ending in `_id` that are not ids of the district's records (a problem's number in
/// the district's own list, say).
pub const NOT_RECORD_IDS: &[&str] = &["external_id", "entity_id", "before_id"];

impl RefKind {
    /// The kind of record a request field names: `Some(Some(kind))` for a known id field,
    /// `Some(None)` for a field that only looks like one (`external_id`), `None` for an unknown
    /// `…_id`/`…_ids` field, and `Some(None)` for every other field.
    pub fn of_field(name: &str) -> Option<Option<RefKind>> {
        if let Some((_, k)) = REF_FIELDS.iter().find(|(n, _)| *n == name) {
            return Some(Some(*k));
        }
        if NOT_RECORD_IDS.contains(&name) || !(name.ends_with("_id") || name.ends_with("_ids")) {
            return Some(None);
        }
        None
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RefKind::Unit => "单位",
            RefKind::Project => "项目",
            RefKind::Node => "节点",
            RefKind::Person | RefKind::Leader => "人员",
            RefKind::Enterprise => "企业",
            RefKind::Visit => "走访",
            RefKind::Lead => "招商线索",
            RefKind::Problem => "问题",
            RefKind::Report => "进度报告",
            RefKind::User => "用户",
            RefKind::Batch => "集中开工批次",
            RefKind::Campaign => "攻坚擂台赛",
            RefKind::SupervisionRound => "督查轮次",
            RefKind::Category => "项目类别",
        }
    }

    fn denied(self) -> Denied {
        Denied(match self {
            RefKind::Unit => "无权操作：请求中的单位不是您所在单位或其下属单位",
            RefKind::Project => "无权操作：请求中的项目不属于您所在单位",
            RefKind::Node => "无权操作：请求中的节点不属于您所在单位的项目，也不由您所在单位负责",
            RefKind::Person | RefKind::Leader => "无权操作：请求中的人员不属于您所在单位",
            RefKind::Visit => "无权操作：请求中的走访记录不属于您所在单位",
            RefKind::Lead => "无权操作：请求中的招商线索不属于您所在单位",
            RefKind::Problem => "无权操作：请求中的问题不属于您所在单位",
            RefKind::Report => "无权操作：请求中的进度报告不属于您所在单位",
            RefKind::User => "无权操作：请求中的用户不属于您所在单位",
            _ => "无权操作：请求中引用了您无权引用的记录",
        })
    }
}

/// Who owns a record named in a request, as the scope check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Owned by units: naming it is within scope when any of them is (a node belongs to its
    /// project's unit and to the unit responsible for it).
    Units(Vec<i64>),
    /// Owned by no unit (a district leader, an enterprise, a batch, a category…): any actor
    /// who may make the request may name it.
    District,
}

impl Actor {
    /// May this actor name, in a request that changes something, a record of `kind` owned by
    /// `owner`? Those who read and edit everything may; a unit's staff only within their scope.
    pub fn may_name(&self, kind: RefKind, owner: &Owner) -> Result<(), Denied> {
        if self.reads_all() {
            return Ok(());
        }
        match owner {
            Owner::District => Ok(()),
            Owner::Units(units) if units.iter().any(|u| self.in_scope(*u)) => Ok(()),
            Owner::Units(_) => Err(kind.denied()),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// User 1, "u", with `role` over the units `unit_scope`: the actor of the domain's tests.
    pub(crate) fn actor_over(role: Role, unit_scope: &[i64]) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role,
            unit_scope: unit_scope.to_vec(),
        }
    }

    fn actor(role: Role) -> Actor {
        actor_over(role, &[10, 11])
    }

    #[test]
    fn scopes_and_roles() {
        let editor = actor(Role::UnitEditor);
        assert!(editor.may(Action::Edit { unit_id: 11 }).is_ok());
        assert!(editor.may(Action::Edit { unit_id: 99 }).unwrap_err().0.contains("本单位"));
        assert!(editor.may(Action::Verify).is_err());
        assert!(editor.may(Action::Read { unit_id: 99 }).is_err());
        let viewer = actor(Role::Viewer);
        assert!(viewer.may(Action::Read { unit_id: 10 }).is_ok());
        assert!(viewer.may(Action::Edit { unit_id: 10 }).is_err());
        let leader = actor(Role::Leader);
        assert!(leader.may(Action::Read { unit_id: 99 }).is_ok());
        assert!(leader.may(Action::Comment).is_ok());
        assert!(leader.may(Action::Edit { unit_id: 10 }).is_err());
        assert!(editor.may_edit_some_unit().is_ok() && viewer.may_edit_some_unit().is_err());
        assert!(leader.may_edit_some_unit().is_err() && actor(Role::Admin).may_edit_some_unit().is_ok());
        assert!(actor_over(Role::UnitEditor, &[]).may_edit_some_unit().is_err());
        let coord = actor(Role::Coordinator);
        assert!(coord.may(Action::Edit { unit_id: 99 }).is_ok() && coord.may(Action::Verify).is_ok());
        assert!(coord.may(Action::Administer).is_err());
        assert!(actor(Role::Admin).may(Action::Administer).is_ok());
        assert!(coord.may(Action::ExcludeClockTime).is_ok() && actor(Role::Admin).may(Action::ExcludeClockTime).is_ok());
        for r in [Role::UnitEditor, Role::Leader, Role::Viewer] {
            assert!(actor(r).may(Action::ExcludeClockTime).unwrap_err().0.contains("不计时段"));
            assert!(actor(r).may(Action::SetCategories).unwrap_err().0.contains("项目类别"));
            assert!(actor(r).may(Action::ManageMasterData).unwrap_err().0.contains("基础数据"));
            assert!(actor(r).may(Action::Subscribe).unwrap_err().0.contains("事件订阅"));
        }
        assert!(coord.may(Action::Subscribe).is_ok() && actor(Role::Admin).may(Action::Subscribe).is_ok());
        assert!(coord.may(Action::ManageMasterData).is_ok() && actor(Role::Admin).may(Action::ManageMasterData).is_ok());
        // 逐级上报: the package is the district-wide view; receiving is the coordinators' desk.
        for r in [Role::Admin, Role::Coordinator, Role::Leader] {
            assert!(actor(r).may(Action::ReadUplink).is_ok(), "{r:?}");
        }
        for r in [Role::UnitEditor, Role::Viewer] {
            assert!(actor(r).may(Action::ReadUplink).unwrap_err().0.contains("上报"), "{r:?}");
        }
        assert!(coord.may(Action::ReceiveUplink).is_ok() && actor(Role::Admin).may(Action::ReceiveUplink).is_ok());
        for r in [Role::UnitEditor, Role::Leader, Role::Viewer] {
            assert!(actor(r).may(Action::ReceiveUplink).unwrap_err().0.contains("上报"), "{r:?}");
        }
        // 一线办公: a leader records their own; an editor on their unit's projects only.
        let fw = |project_unit_id, own| Action::RecordFieldWork { project_unit_id, own };
        assert!(coord.may(fw(None, false)).is_ok() && actor(Role::Admin).may(fw(Some(99), false)).is_ok());
        assert!(leader.may(fw(None, true)).is_ok() && leader.may(fw(Some(10), false)).is_err());
        assert!(editor.may(fw(Some(10), false)).is_ok());
        assert!(editor.may(fw(Some(99), false)).unwrap_err().0.contains("一线办公"));
        assert!(editor.may(fw(None, true)).is_err() && viewer.may(fw(Some(10), false)).is_err());
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }

    #[test]
    fn naming_records_in_requests() {
        let editor = actor(Role::UnitEditor);
        assert!(editor.may_name(RefKind::Project, &Owner::Units(vec![11])).is_ok());
        // A node of another unit's project that the editor's unit is responsible for.
        assert!(editor.may_name(RefKind::Node, &Owner::Units(vec![99, 10])).is_ok());
        let e = editor.may_name(RefKind::Unit, &Owner::Units(vec![99])).unwrap_err();
        assert!(e.0.contains("单位"), "{e:?}");
        assert!(editor.may_name(RefKind::Leader, &Owner::District).is_ok());
        assert!(actor(Role::Coordinator).may_name(RefKind::Project, &Owner::Units(vec![99])).is_ok());
        assert!(actor(Role::Leader).may_name(RefKind::Problem, &Owner::Units(vec![99])).is_ok());
        assert_eq!(RefKind::of_field("project_unit_id"), Some(Some(RefKind::Unit)));
        assert_eq!(RefKind::of_field("external_id"), Some(None));
        assert_eq!(RefKind::of_field("description"), Some(None));
        assert_eq!(RefKind::of_field("owner_unit_id"), None);
    }
}
