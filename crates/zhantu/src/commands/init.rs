//! `zhantu init --database URL --division 331002 [--name 椒江区] --admin admin`: sets up a new
//! district in a new (or empty) database — its units, default project types, categories,
//! approval clocks, light rules, working calendar — with a first administrator whose
//! temporary password must be changed at first sign-in.

use super::CliError;
use super::user::{ctx, temporary_password};
use zhantu_domain::access::parse_username;
use zhantu_domain::setup::{DistrictPlace, DistrictSetup};
use zhantu_store::{OpenMode, Store};
use zhantu_web::auth;

#[derive(clap::Args)]
pub struct Args {
    /// 数据库：SQLite 文件路径或 postgres:// 地址（不存在时创建）
    #[arg(long)]
    pub database: String,
    /// 本区（县）的6位行政区划代码，如 331002
    #[arg(long)]
    pub division: String,
    /// 区（县）名称（浙江省的代码默认用其正式名称）
    #[arg(long)]
    pub name: Option<String>,
    /// 第一个管理员的用户名
    #[arg(long)]
    pub admin: String,
    /// 第一个管理员的姓名
    #[arg(long, default_value = "系统管理员")]
    pub admin_name: String,
}

pub async fn run(args: Args) -> Result<(), CliError> {
    // Everything that can be refused without the database is refused before it is created.
    let place = DistrictPlace::parse(&args.division, args.name.as_deref()).map_err(|e| CliError(e.to_string()))?;
    let username = parse_username(&args.admin).map_err(|e| CliError(e.to_string()))?;
    let display_name = args.admin_name.trim().to_string();
    if display_name.is_empty() {
        return Err(CliError("管理员姓名不能为空".into()));
    }
    let password = temporary_password();
    let hash = auth::hash_password(&password).map_err(|e| CliError(e.message))?;
    Store::create_database_if_missing(&args.database).await?;
    let store = Store::open(&args.database, OpenMode::CreateOrMigrate).await?;
    if !store.needs_setup().await? {
        let district = store.setting("district_name").await?.unwrap_or_default();
        store.close().await;
        return Err(CliError(format!(
            "数据库已经初始化（{district}），不能再次初始化；增加账户请用 zhantu user add"
        )));
    }
    let setup = DistrictSetup {
        place,
        admin_username: username,
        admin_display_name: display_name,
        admin_password_hash: hash,
        must_change_password: true,
    };
    let report = store.init_district(&setup, &ctx()).await?;
    store.close().await;
    let p = &setup.place;
    println!("已初始化 {}（行政区划代码 {}，{}）。", p.name, p.division, store.engine().name());
    if p.shipped && report.streets > 0 {
        println!(
            "单位 {} 个：{}、{} 个街道和乡镇（来自随附的浙江省乡镇街道数据）、{}。",
            report.units,
            p.government(),
            report.streets,
            p.coordinating_bureau()
        );
    } else {
        println!(
            "单位 {} 个：{}、{}。随附数据没有本区的街道和乡镇，请登录后在“单位管理”（/admin/units）中添加。",
            report.units,
            p.government(),
            p.coordinating_bureau()
        );
    }
    println!(
        "项目类型 {} 个（节点模板 {} 步），项目类别 {} 个，审批时限 {} 项，默认亮灯规则，工作日历 {} 天（法定节假日和调休上班日）。",
        report.project_types, report.node_templates, report.categories, report.approval_clocks, report.holidays
    );
    println!(
        "管理员：{}（{}，{}）",
        report.admin.username, report.admin.display_name, report.admin.unit_name
    );
    println!("临时密码：{password}（首次登录后须修改）");
    Ok(())
}
