//! `zhantu user add|disable|reset-password`: account administration from the shell, for the
//! first administrator and for recovery.

use super::CliError;
use zhantu_domain::access::{Role, parse_username};
use zhantu_store::{AuditCtx, NewUser, OpenMode, Store, UserChange};
use zhantu_web::auth;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// 新建用户（不指定密码时生成一个临时密码，首次登录须修改）
    Add {
        #[arg(long)]
        database: String,
        #[arg(long)]
        username: String,
        /// 姓名
        #[arg(long)]
        name: String,
        /// 角色：admin、coordinator、unit_editor、leader、viewer
        #[arg(long)]
        role: String,
        /// 所属单位：名称或编号（默认为区）
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        password: Option<String>,
    },
    /// 停用用户（其会话立即失效）
    Disable {
        #[arg(long)]
        database: String,
        #[arg(long)]
        username: String,
    },
    /// 重置密码（不指定时生成临时密码，首次登录须修改）
    ResetPassword {
        #[arg(long)]
        database: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: Option<String>,
    },
}

/// Who acts from the shell: the system user running the command.
pub(super) fn ctx() -> AuditCtx {
    let who = std::env::var("USER").unwrap_or_else(|_| "shell".into());
    AuditCtx {
        actor: format!("cli:{who}"),
        address: "localhost".into(),
    }
}

/// A password for an account to be changed at first sign-in (it meets the policy).
pub(super) fn temporary_password() -> String {
    format!("Zt{}9", &auth::random_token()[..12])
}

fn web_err(e: zhantu_web::ApiError) -> CliError {
    CliError(e.message)
}

pub async fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        UserCommand::Add {
            database,
            username,
            name,
            role,
            unit,
            password,
        } => {
            let store = Store::open(&database, OpenMode::ExistingOnly).await?;
            if store.needs_setup().await? {
                return Err(CliError(
                    "数据库尚未初始化（还没有单位）：请先运行 zhantu init --database … --division 本区行政区划代码 --admin 用户名".into(),
                ));
            }
            let username = parse_username(&username).map_err(|e| CliError(e.to_string()))?;
            let role = Role::from_code(&role)
                .ok_or_else(|| CliError(format!("角色“{role}”无效：应为 admin、coordinator、unit_editor、leader 或 viewer")))?;
            let unit_id = match unit {
                None => store
                    .root_unit()
                    .await?
                    .ok_or_else(|| CliError("数据库中没有根单位（区）".into()))?,
                Some(u) => match u.parse::<i64>() {
                    Ok(id) => id,
                    Err(_) => store.unit_by_name(&u).await?.ok_or_else(|| CliError(format!("单位“{u}”不存在")))?,
                },
            };
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (temporary_password(), true),
            };
            auth::check_password_policy(&password, &username).map_err(web_err)?;
            let u = store
                .create_user(
                    &NewUser {
                        username: username.clone(),
                        display_name: name,
                        role,
                        unit_id,
                        password_hash: auth::hash_password(&password).map_err(web_err)?,
                        must_change_password: generated,
                    },
                    &ctx(),
                )
                .await?;
            println!("已创建用户 {}（{}，{}）。", u.username, u.role.label_zh(), u.unit_name);
            if generated {
                println!("临时密码：{password}（首次登录后须修改）");
            }
            Ok(())
        }
        UserCommand::Disable { database, username } => {
            let store = Store::open(&database, OpenMode::ExistingOnly).await?;
            let u = store
                .user_by_username(&username)
                .await?
                .ok_or_else(|| CliError(format!("用户“{username}”不存在")))?;
            store
                .update_user(
                    u.id,
                    u.version,
                    &UserChange {
                        active: Some(false),
                        ..Default::default()
                    },
                    &ctx(),
                )
                .await?;
            println!("已停用用户 {username}，其登录会话已失效。");
            Ok(())
        }
        UserCommand::ResetPassword {
            database,
            username,
            password,
        } => {
            let store = Store::open(&database, OpenMode::ExistingOnly).await?;
            let u = store
                .user_by_username(&username)
                .await?
                .ok_or_else(|| CliError(format!("用户“{username}”不存在")))?;
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (temporary_password(), true),
            };
            auth::check_password_policy(&password, &username).map_err(web_err)?;
            store
                .set_password(u.id, &auth::hash_password(&password).map_err(web_err)?, true, None, &ctx())
                .await?;
            println!("已重置用户 {username} 的密码，其登录会话已失效。");
            if generated {
                println!("临时密码：{password}（首次登录后须修改）");
            }
            Ok(())
        }
    }
}
