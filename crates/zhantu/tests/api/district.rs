//! A district the app has never seen (#15's proof, with other numbers than the demo's):
//! another county of Zhejiang (临海市, 331082), another seed of the generator, lists of its own
//! and targets of its own. Its year is first loaded the direct way, which gives the figures to
//! reproduce and the spreadsheets its clerk holds (every import kind's export: the templates'
//! columns). Then an empty database is taken to the same figures only the clerk's way:
//! `zhantu init`, the forced password change, the settings API, and every spreadsheet uploaded
//! over HTTP in its browser session, in the order the import page lists the kinds. Nothing is
//! written with SQL or through the store.

use crate::helpers::{Session, answer, differences, fresh_store, import_form, login, serve, zhantu};
use serde_json::{Value, json};
use zhantu_domain::dataset::{CategoryRow, Dataset};
use zhantu_domain::imports::ImportKind;
use zhantu_domain::model::Category;

const COUNTY: &str = "331082";

/// The county's year: 150 projects of another seed; the default lists with targets of its own,
/// one renamed, and two lists the defaults do not have, with members.
fn their_year() -> Dataset {
    let mut ds = zhantu_demo::generate_county(150, 20_261, COUNTY).expect("临海市 is a county with streets");
    for (i, c) in ds.categories.iter_mut().enumerate() {
        c.targets = vec![(2018, 400 + 50 * i as i64), (2019, 550 + 45 * i as i64)];
    }
    ds.categories[1].category.name = "临海市县长工程".into();
    let next = ds.categories.iter().map(|c| c.category.id).max().unwrap_or(0) + 1;
    for (k, (code, name, target)) in [("key_city", "台州市重点建设项目", 700), ("mountain", "山区海岛县共富项目", 500)]
        .into_iter()
        .enumerate()
    {
        ds.categories.push(CategoryRow {
            category: Category {
                id: next + k as i64,
                code: code.into(),
                name: name.into(),
            },
            tracks_landing: true,
            targets: vec![(2019, target)],
        });
    }
    // Every fourth project planned for 2019 is on the city's list, every seventh on the other.
    for (i, p) in ds.projects.iter_mut().filter(|p| p.project.planned_year == 2019).enumerate() {
        if i % 4 == 0 {
            p.categories.push((next, 2019));
        }
        if i % 7 == 0 {
            p.categories.push((next + 1, 2019));
        }
    }
    ds
}

/// Uploads a spreadsheet in the browser session and waits for its run: the finished run.
async fn import(s: &Session, kind: ImportKind, bytes: Vec<u8>) -> Value {
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/imports", s.base))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .multipart(import_form(
            bytes,
            &format!("{}.xlsx", kind.label_zh()),
            &[("kind", kind.code()), ("dry_run", "0")],
        ))
        .send()
        .await
        .expect("the server answers");
    let (status, started) = answer(resp).await;
    assert_eq!(status, 202, "{kind:?}: {started}");
    for _ in 0..1200 {
        let (status, run) = s.get(&format!("/api/v1/imports/{}", started["id"])).await;
        assert_eq!(status, 200, "{run}");
        if run["state"] != "running" {
            return run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the {kind:?} import did not finish");
}

#[tokio::test]
async fn a_district_of_other_numbers_reaches_its_figures_through_init_the_templates_and_the_api() {
    let year = their_year();
    let (source, _source_dir, _) = fresh_store().await;
    source.load_dataset(&year).await.expect("load the county's year");

    // The clerk's first command, as DEPLOY.md has it.
    let (store, _dir, url) = fresh_store().await;
    let o = zhantu(&["init", "--database", &url, "--division", COUNTY, "--admin", "clerk"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("临海市"), "{out}");
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("临时密码："))
        .and_then(|l| l.split('（').next())
        .expect("init prints the temporary password")
        .to_string();
    let base = serve(store.clone()).await;
    let s = login(&base, "clerk", &password).await.expect("sign in");
    let (status, _) = s.get("/api/v1/projects").await;
    assert_eq!(status, 403, "a temporary password must be changed before any work");
    assert_eq!(s.change_password(&password, "Linhai2020xy").await, 204);
    let s = login(&base, "clerk", "Linhai2020xy").await.expect("sign in again");

    // Nothing of the demo is in it: its own streets, no project, none of 椒江's units.
    let (_, units) = s.get("/api/v1/units").await;
    let names = units.to_string();
    assert!(names.contains("古城街道") && !names.contains("海门街道"), "{names}");
    let (_, projects) = s.get("/api/v1/projects").await;
    assert_eq!(projects["total"], 0, "{projects}");

    // The data day the county's figures are as of, on the settings page's API.
    let (_, current) = s.get("/api/v1/settings").await;
    let (status, set) = s
        .put(
            "/api/v1/settings",
            json!({"revision": current["revision"], "district_name": current["district_name"],
                   "district_division": COUNTY, "province_division": "330000", "as_of": "2019-12-31"}),
        )
        .await;
    assert_eq!(status, 200, "{set}");

    // Every spreadsheet, each kind in the import page's order.
    let all = zhantu_store::ProjectFilter::default();
    for kind in ImportKind::ALL {
        let table = source.export_kind(kind, &all).await.expect("export");
        let rows = table.rows.len();
        let bytes = zhantu_office::write_xlsx(&[table]).expect("xlsx");
        let run = import(&s, kind, bytes).await;
        assert_eq!(run["state"], "done", "{kind:?} ({rows} rows): {run}");
    }

    // The same figures, field for field, for both years and for a street.
    let street = format!("{COUNTY}001");
    for (y, division) in [(2018, None), (2019, None), (2019, Some(street.as_str()))] {
        let want = serde_json::to_value(source.division_figures(y, division).await.unwrap()).unwrap();
        let query = match division {
            Some(d) => format!("/api/v1/figures?year={y}&division={d}"),
            None => format!("/api/v1/figures?year={y}"),
        };
        let (status, got) = s.get(&query).await;
        assert_eq!(status, 200, "{got}");
        let diff = differences("", &without_ids(&want), &without_ids(&got));
        assert!(diff.is_empty(), "{y} {division:?}: {}", diff.join("\n"));
    }
    // A whole year came across, not an empty one: every part of the figures has something.
    let (_, f) = s.get("/api/v1/figures?year=2019").await;
    for (part, n) in [
        ("projects planned", &f["projects_planned"]),
        ("batches", &f["batches"]["count"]),
        ("campaigns", &json!(f["campaigns"].as_array().map_or(0, Vec::len))),
        ("problems raised", &f["problems"]["raised"]),
        ("nodes due", &f["node_on_time"]["due"]),
        ("visits", &f["enterprise_visits"]),
        ("supervision rounds", &f["supervision_rounds"]),
    ] {
        assert!(n.as_u64().unwrap_or(0) > 0, "{part}: {n}");
    }
    assert!(
        f["fai_growth_pct"].is_number() && f["investment"]["completed_wan"].as_f64().unwrap_or(0.0) > 0.0,
        "{f}"
    );
    // Their own lists are counted with their own targets.
    let city = f["landing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "key_city")
        .expect("the city's list");
    assert_eq!(city["target_pct"].to_string(), "70.0");
    assert!(city["targeted"].as_u64().unwrap() > 0, "{city}");
}

/// A JSON value without the `id` fields of its objects (record numbers, which a new database
/// gives out on its own).
fn without_ids(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "id")
                .map(|(k, v)| (k.clone(), without_ids(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_ids).collect()),
        other => other.clone(),
    }
}
