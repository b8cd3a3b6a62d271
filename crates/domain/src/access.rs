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
    /// Record, close or delete the spans an approval clock does not count (业主自主时间,
    /// 暂停): the coordinators' call, like approving a date change, since it moves a limit.
    ExcludeClockTime,
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

    pub fn may(&self, action: Action) -> Result<(), Denied> {
        use Role::*;
        let ok = match (self.role, action) {
            (Admin, _) => true,
            (Coordinator, Action::Administer) => false,
            (Coordinator, _) => true,
            (Leader, Action::Read { .. } | Action::Comment) => true,
            (UnitEditor | Viewer, Action::Read { unit_id }) => self.in_scope(unit_id),
            (UnitEditor, Action::Edit { unit_id }) => self.in_scope(unit_id),
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
        }))
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
        let coord = actor(Role::Coordinator);
        assert!(coord.may(Action::Edit { unit_id: 99 }).is_ok() && coord.may(Action::Verify).is_ok());
        assert!(coord.may(Action::Administer).is_err());
        assert!(actor(Role::Admin).may(Action::Administer).is_ok());
        assert!(coord.may(Action::ExcludeClockTime).is_ok() && actor(Role::Admin).may(Action::ExcludeClockTime).is_ok());
        for r in [Role::UnitEditor, Role::Leader, Role::Viewer] {
            assert!(actor(r).may(Action::ExcludeClockTime).unwrap_err().0.contains("不计时段"));
        }
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
