//! A new district set up from nothing: `docs/DEPLOY.md`'s first-machine commands run as written,
//! `zhantu init`'s refusals, `zhantu user add` before and after, and the first-run page (`/setup`)
//! with its JSON twin, on whichever engine the suite runs.

use crate::cli::{Running, serving};
use crate::helpers::{TestApp, TestDb, answer, fresh_store, login, no_redirects, postgres_admin_url, serve, status_of, zhantu};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};
use std::process::Output;

/// The setup routes are public: the access walk checks that a form without the pre-session
/// token is refused; on the demo database every setup is refused (`setup_is_refused_…`).
pub(crate) async fn write_fixtures(_app: &TestApp) -> Fixtures {
    vec![
        (("POST", "/setup"), Fixture::public("/setup", true)),
        (("POST", "/api/v1/setup"), Fixture::public("/api/v1/setup", false)),
    ]
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The temporary password a command printed (`临时密码：…（首次登录后须修改）`).
fn temporary_password(out: &Output) -> String {
    stdout(out)
        .lines()
        .find_map(|l| l.strip_prefix("临时密码："))
        .unwrap_or_else(|| panic!("no temporary password in {}", stdout(out)))
        .split('（')
        .next()
        .unwrap()
        .to_string()
}

/// The lines of the first fenced block of `lang` after `heading` in the guide, with the
/// continuation lines (`\`) joined and the comments dropped.
fn guide_block(guide: &str, heading: &str, lang: &str) -> Vec<String> {
    let from = guide.find(heading).unwrap_or_else(|| panic!("DEPLOY.md has no “{heading}”"));
    let fence = format!("```{lang}\n");
    let start = from + guide[from..].find(&fence).unwrap_or_else(|| panic!("no {lang} block")) + fence.len();
    let end = start + guide[start..].find("```").expect("the block ends");
    let mut lines = Vec::new();
    let mut joined = String::new();
    for line in guide[start..end].lines() {
        let line = match line.find(" #") {
            Some(i) => &line[..i],
            None => line,
        };
        match line.trim_end().strip_suffix('\\') {
            Some(head) => joined.push_str(head),
            None => {
                joined.push_str(line);
                lines.push(joined.split_whitespace().collect::<Vec<_>>().join(" "));
                joined.clear();
            }
        }
    }
    lines
}

/// A command line of the guide as the test runs it: `sudo -u zhantu` dropped, the database
/// and the data directory the test's own. `None` for a line that is not a `zhantu` command.
fn test_args(line: &str, program: &str, database: &str, data_dir: &str) -> Option<Vec<String>> {
    let line = line.strip_prefix("sudo -u zhantu ").unwrap_or(line);
    let mut words = line.split_whitespace();
    if words.next() != Some(program) {
        return None;
    }
    Some(
        words
            .map(|w| match w {
                "/var/lib/zhantu/zhantu.db" => database.to_string(),
                w => w.replace("/var/lib/zhantu", data_dir),
            })
            .collect(),
    )
}

/// Where the guide's district goes: a new SQLite file, or a new PostgreSQL database when the
/// suite runs on PostgreSQL (kept while the second value lives).
async fn new_database(dir: &std::path::Path) -> (String, Option<TestDb>) {
    match postgres_admin_url() {
        Some(_) => {
            let (store, db, url) = fresh_store().await;
            store.close().await;
            (url, Some(db))
        }
        None => (dir.join("zhantu.db").to_string_lossy().into_owned(), None),
    }
}

#[tokio::test]
async fn the_deploy_guide_runs_as_written() {
    let guide = include_str!("../../../../docs/DEPLOY.md");
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_string_lossy().into_owned();
    let (database, _db) = new_database(dir.path()).await;

    // The first machine's commands, in order.
    let mut ran = Vec::new();
    let mut password = None;
    for line in guide_block(guide, "## One machine", "sh") {
        let Some(args) = test_args(&line, "zhantu", &database, &data_dir) else {
            continue; // install, useradd: the machine's, not zhantu's
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = zhantu(&args);
        assert!(out.status.success(), "{line}: {}", stderr(&out));
        if args[0] == "init" {
            let said = stdout(&out);
            for s in [
                "已初始化 椒江区",
                "单位 12 个",
                "10 个街道和乡镇",
                "项目类型 5 个",
                "项目类别 8 个",
                "工作日历",
            ] {
                assert!(said.contains(s), "init says “{s}”: {said}");
            }
            password = Some(temporary_password(&out));
        }
        ran.push(args[0].to_string());
    }
    assert_eq!(ran, ["migrate", "init"], "the guide's zhantu commands");
    let password = password.expect("init printed a password");

    // The service as its unit file starts it, on a free port.
    let exec = guide_block(guide, "zhantu.service", "ini")
        .into_iter()
        .find_map(|l| l.strip_prefix("ExecStart=").map(str::to_string))
        .expect("the unit's ExecStart");
    let mut args = test_args(&exec, "/usr/local/bin/zhantu", &database, &data_dir).expect("ExecStart runs zhantu");
    let listen = args.iter().position(|a| a == "--listen").expect("--listen") + 1;
    args[listen] = "127.0.0.1:0".into();
    let (_server, base): (Running, String) = serving(std::process::Command::new(env!("CARGO_BIN_EXE_zhantu")).args(&args));

    // The clerk signs in, is held to the password change, changes it, and works.
    let first = login(&base, "admin", &password).await.expect("the temporary password signs in");
    let (status, e) = first.get("/api/v1/projects").await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (403, Some("password_change_required")),
        "{e}"
    );
    assert_eq!(first.response("/").await.headers()["location"], "/account");
    assert_eq!(first.change_password(&password, "Jiaojiang2020new").await, 204);
    let admin = login(&base, "admin", "Jiaojiang2020new").await.expect("the new password signs in");
    let (status, me) = admin.get("/api/v1/auth/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["user"]["role"], "admin");
    assert_eq!(me["user"]["must_change_password"], false);
    let (status, projects) = admin.get("/api/v1/projects").await;
    assert_eq!((status, projects["total"].as_i64()), (200, Some(0)), "{projects}");
    let (status, html) = admin.page("/").await;
    assert_eq!(status, 200, "the cockpit of a district without projects: {html}");
    assert!(html.contains("椒江区"));
    let (status, _) = admin.page("/setup").await;
    assert_eq!(status, 404, "no setup page once set up");

    // The audit chain holds the setup, the account and the password change.
    let out = zhantu(&["audit", "verify", "--database", &database]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[tokio::test]
async fn init_refuses_what_it_cannot_set_up() {
    let dir = tempfile::tempdir().unwrap();
    let (database, _db) = new_database(dir.path()).await;
    let init = |division: &str, more: &[&str]| {
        let mut args = vec!["init", "--database", &database, "--division", division, "--admin", "admin"];
        args.extend_from_slice(more);
        zhantu(&args)
    };
    // Codes that are no district, said in Chinese, before any database is made.
    for (code, why) in [
        ("999999", "不是内地省级代码"),
        ("12345", "6位数字代码"),
        ("330000", "省级代码"),
        ("339999", "浙江省没有"),
    ] {
        let out = init(code, &[]);
        assert_eq!(out.status.code(), Some(1), "{code}");
        let err = stderr(&out);
        assert!(err.contains("行政区划代码") && err.contains(why), "{code}: {err}");
    }
    if postgres_admin_url().is_none() {
        assert!(!std::path::Path::new(&database).exists(), "nothing created for a refused code");
    }
    // Outside Zhejiang: a name is needed, and no street comes with it.
    let out = init("110105", &[]);
    assert!(stderr(&out).contains("请填写名称"), "{}", stderr(&out));
    // `user add` on the empty database says what to do first.
    let out = zhantu(&["migrate", "--database", &database]);
    assert!(out.status.success(), "{}", stderr(&out));
    let add = |username: &str| {
        zhantu(&[
            "user",
            "add",
            "--database",
            &database,
            "--username",
            username,
            "--name",
            "填报员",
            "--role",
            "viewer",
        ])
    };
    let out = add("chakan");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("zhantu init"), "{}", stderr(&out));

    let out = init("110105", &["--name", "朝阳区", "--admin-name", "王管理"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("已初始化 朝阳区") && said.contains("单位 2 个") && said.contains("没有本区的街道"),
        "{said}"
    );
    let password = temporary_password(&out);

    // Twice: refused, and nothing changed.
    let out = init("331002", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("已经初始化（朝阳区）"), "{}", stderr(&out));

    // Now `user add` works, in the government's unit.
    let out = add("chakan");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("朝阳区人民政府"), "{}", stdout(&out));

    let store = zhantu_store::Store::open(&database, zhantu_store::OpenMode::ExistingOnly)
        .await
        .unwrap();
    assert_eq!(store.setting("district_division").await.unwrap().as_deref(), Some("110105"));
    assert_eq!(store.setting("province_division").await.unwrap().as_deref(), Some("110000"));
    let units = store.unit_names().await.unwrap();
    let names: Vec<&str> = units.iter().map(|u| u.1.as_str()).collect();
    assert_eq!(names, ["朝阳区人民政府", "朝阳区发展和改革局"]);
    let admin = store.user_by_username("admin").await.unwrap().unwrap();
    assert!(admin.must_change_password && admin.display_name == "王管理" && admin.unit_name == "朝阳区人民政府");
    let base = serve(store).await;
    assert!(login(&base, "admin", &password).await.is_ok());
}

/// A fresh page visit: the pre-session token from the page's cookie, and the page.
async fn open_setup(base: &str, query: &str) -> (String, String) {
    let resp = no_redirects().get(format!("{base}/setup{query}")).send().await.unwrap();
    assert_eq!(status_of(&resp), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Path=/setup") && cookie.contains("HttpOnly"), "{cookie}");
    let pre = cookie.split(';').next().unwrap().to_string();
    (pre, resp.text().await.unwrap())
}

/// Posts the setup form with the page's pre-session cookie and token: status and where it leads.
async fn post_setup(base: &str, pre: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let token = pre.split_once('=').unwrap().1.to_string();
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf_token", &token));
    let resp = no_redirects()
        .post(format!("{base}/setup"))
        .header("cookie", pre)
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, location) = (status_of(&resp), location(&resp));
    (status, location, resp.text().await.unwrap_or_default())
}

/// Where an answer leads ("" when it is no redirect).
fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn get_status(base: &str, path: &str) -> (u16, String) {
    let resp = no_redirects().get(format!("{base}{path}")).send().await.unwrap();
    (status_of(&resp), location(&resp))
}

async fn audit_count(store: &zhantu_store::Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn post_json(base: &str, body: Value) -> (u16, Value) {
    answer(
        reqwest::Client::new()
            .post(format!("{base}/api/v1/setup"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_first_run_page_sets_up_an_empty_database_once() {
    let (store, _dir, _url) = fresh_store().await;
    let base = serve(store.clone()).await;
    let code = zhantu_web::issue_setup_code(&store).await.unwrap();

    // Every page leads to the setup; the API says why it cannot answer; the page's own needs work.
    for path in ["/", "/projects", "/login", "/admin/users"] {
        assert_eq!(get_status(&base, path).await, (303, "/setup".to_string()), "{path}");
    }
    let (status, e) = answer(reqwest::get(format!("{base}/api/v1/projects")).await.unwrap()).await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("setup_required")), "{e}");
    assert_eq!(get_status(&base, "/healthz").await.0, 200);
    assert_eq!(get_status(&base, "/assets/app.css").await.0, 200);

    let (pre, html) = open_setup(&base, "").await;
    assert!(
        html.starts_with("<!doctype html>") && html.contains("<html lang=\"zh-CN\">"),
        "{html}"
    );
    for s in [
        "初始化本区",
        "name=\"division\"",
        "name=\"password_confirm\"",
        "name=\"csrf_token\"",
        "viewport",
    ] {
        assert!(html.contains(s), "the page has {s}");
    }
    assert!(!html.contains(" style=\"") && !html.contains("<script"), "no inline code");
    let (_, en) = open_setup(&base, "?lang=en").await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Set up the district") && en.contains("Division code"));
    // The address `zhantu serve` prints carries the code into the form.
    let (_, with_code) = open_setup(&base, &format!("?code={code}")).await;
    assert!(with_code.contains(&format!("name=\"setup_code\" value=\"{code}\"")), "{with_code}");

    // Without the pre-session cookie (a cross-site form): refused.
    let resp = reqwest::Client::new()
        .post(format!("{base}/setup"))
        .form(&[("division", "331002"), ("admin_username", "evil"), ("password", "Evil2019evil")])
        .send()
        .await
        .unwrap();
    assert_eq!(status_of(&resp), 403);
    assert!(store.needs_setup().await.unwrap());

    // Bad input goes back to the form with the reason and the values typed, never the password.
    let good = [
        ("setup_code", code.as_str()),
        ("district_name", ""),
        ("division", "331002"),
        ("admin_username", "zhangsan"),
        ("admin_display_name", "张三"),
        ("password", "Jiaojiang2019x"),
        ("password_confirm", "Jiaojiang2019x"),
    ];
    let with = |k: &'static str, v: &'static str| good.map(|(gk, gv)| (gk, if gk == k { v } else { gv }));
    // Without the printed code, or with another: refused, back to the form with the reason.
    for wrong in ["", "0123456789abcdef0123456789abcdef"] {
        let (status, location, _) = post_setup(&base, &pre, &with("setup_code", wrong)).await;
        assert_eq!(status, 303);
        let (_, page) = open_setup(&base, &location["/setup".len()..]).await;
        assert!(page.contains("设置码不正确"), "{page}");
    }
    assert!(store.needs_setup().await.unwrap());
    let (status, location, _) = post_setup(&base, &pre, &with("password_confirm", "Jiaojiang2019y")).await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/setup?error=") && !location.contains("Jiaojiang"),
        "{location}"
    );
    let (_, again) = open_setup(&base, &location["/setup".len()..]).await;
    assert!(again.contains("两次输入的密码不一致") && again.contains("value=\"zhangsan\"") && again.contains("value=\"张三\""));
    for (field, value, why) in [
        ("division", "999999", "不是内地省级代码"),
        ("division", "110105", "请填写名称"),
        ("admin_username", "张三", "应为1到40位"),
        ("password", "short1", "密码至少10位"),
    ] {
        let mut fields = with(field, value);
        if field == "password" {
            fields[6].1 = value;
        }
        let (status, location, _) = post_setup(&base, &pre, &fields).await;
        assert_eq!(status, 303, "{field}");
        let (_, page) = open_setup(&base, &location["/setup".len()..]).await;
        assert!(page.contains(why), "{field} = {value}: {page}");
    }
    assert!(store.needs_setup().await.unwrap(), "nothing written by a refusal");

    // The form sets the district up and leads to the sign-in page.
    let (status, location, _) = post_setup(&base, &pre, &good).await;
    assert_eq!((status, location.as_str()), (303, "/login"));
    assert!(!store.needs_setup().await.unwrap());
    assert_eq!(store.setup_code_digest().await.unwrap(), None, "the code is spent");
    assert_eq!(store.unit_names().await.unwrap().len(), 12);
    assert_eq!(get_status(&base, "/").await, (303, "/login?next=/".to_string()));

    // Once: the page is gone, the form and the API refuse, nothing is written.
    let audit = audit_count(&store).await;
    assert_eq!(get_status(&base, "/setup").await.0, 404);
    let (status, _, body) = post_setup(&base, &pre, &with("admin_username", "lisi")).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("已经初始化"), "{body}");
    let (status, e) = post_json(
        &base,
        json!({"division": "331002", "admin_username": "lisi", "password": "Jiaojiang2019x"}),
    )
    .await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("already_initialised")), "{e}");
    assert_eq!(audit_count(&store).await, audit);

    // The clerk chose the password: no change forced. The setup is in the audit log.
    let admin = login(&base, "zhangsan", "Jiaojiang2019x").await.expect("sign in");
    let (status, me) = admin.get("/api/v1/auth/me").await;
    assert_eq!(status, 200);
    assert_eq!(
        (me["user"]["must_change_password"].as_bool(), me["user"]["role"].as_str()),
        (Some(false), Some("admin"))
    );
    assert_eq!(admin.get("/api/v1/projects").await.0, 200);
    let (_, log) = admin.get("/api/v1/audit?entity=district").await;
    let entry = &log["items"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["actor"].as_str()),
        (Some("district.init"), Some("setup:zhangsan")),
        "{log}"
    );
    assert_eq!(entry["after"]["district_division"], "331002");
}

#[tokio::test]
async fn the_setup_api_sets_up_once_however_many_ask() {
    let (store, _dir, _url) = fresh_store().await;
    let base = serve(store.clone()).await;
    let body = |name: &str, code: &str| json!({"division": "110105", "district_name": "朝阳区", "admin_username": name, "password": "Beijing2019x", "setup_code": code});
    // Before the server made a code, and with a wrong one: nobody can claim the district.
    let (status, e) = post_json(&base, body("early", "")).await;
    assert_eq!((status, e["error"]["code"].as_str()), (403, Some("setup_code_wrong")), "{e}");
    let code = zhantu_web::issue_setup_code(&store).await.unwrap();
    let (status, e) = post_json(&base, body("guess", &code.to_uppercase())).await;
    assert_eq!((status, e["error"]["code"].as_str()), (403, Some("setup_code_wrong")), "{e}");
    // A new start makes a new code; the old one stops working.
    let old = code;
    let code = zhantu_web::issue_setup_code(&store).await.unwrap();
    assert_ne!(old, code);
    let (status, e) = post_json(&base, body("stale", &old)).await;
    assert_eq!((status, e["error"]["code"].as_str()), (403, Some("setup_code_wrong")), "{e}");
    assert!(store.needs_setup().await.unwrap() && store.users().await.unwrap().is_empty());
    let (status, e) = post_json(
        &base,
        json!({"division": "12345", "admin_username": "admin", "password": "Beijing2019x", "setup_code": code}),
    )
    .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_division_code")), "{e}");
    let body = |name: &str| body(name, &code);
    let (a, b) = tokio::join!(post_json(&base, body("first")), post_json(&base, body("second")));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{a:?} {b:?}");
    let made = if a.0 == 201 { &a.1 } else { &b.1 };
    assert_eq!((made["units"].as_i64(), made["streets"].as_i64()), (Some(2), Some(0)), "{made}");
    assert_eq!(made["admin"]["role"], "admin");
    assert_eq!(store.users().await.unwrap().len(), 1, "one administrator");
    assert_eq!(store.unit_names().await.unwrap().len(), 2);
}

/// On a database that holds a district (the demo), every way into the setup is refused with a
/// 4xx, and nothing is written.
#[tokio::test]
async fn setup_is_refused_on_a_district_already_set_up() {
    let app = crate::helpers::spawn_app().await;
    let before = app.audit_count().await;
    assert_eq!(get_status(&app.base, "/setup").await.0, 404);
    let (status, e) = post_json(
        &app.base,
        json!({"division": "331002", "admin_username": "x", "password": "Jiaojiang2019x"}),
    )
    .await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("already_initialised")), "{e}");
    let (status, e) = post_json(&app.base, json!("not an object")).await;
    assert!(status == 400 || status == 409, "{status} {e}");
    let resp = reqwest::Client::new()
        .post(format!("{}/setup", app.base))
        .header("cookie", "zhantu_pre=abc")
        .form(&[("csrf_token", "abc"), ("division", "331002")])
        .send()
        .await
        .unwrap();
    assert_eq!(status_of(&resp), 409);
    // Signed in, with the session's token: the same refusal.
    let admin = app.login("admin").await;
    let (status, _) = admin.post("/api/v1/setup", json!({"division": "331002"})).await;
    assert_eq!(status, 409);
    assert_eq!(app.audit_count().await, before);
    // A signed-in page visit is not sent to the setup.
    assert_eq!(admin.page("/").await.0, 200);
}
