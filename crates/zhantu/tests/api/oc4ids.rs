//! The OC4IDS export (issue #19 item 3): `GET /api/v1/export/oc4ids.json` is an OC4IDS 0.9.5
//! project package of the reader's projects (the registry's scope), valid against the
//! standard's schemas shipped in `data/standards/oc4ids/` (resolved locally, no network), with
//! codes from its codelists, every party it names in `parties`, and no empty value anywhere.
//! `POST /api/v1/import/oc4ids` reads a package back, all or nothing: the demo's package
//! imported into an empty district exports as the same package again.

use crate::helpers::{Session, TestApp, demo_base, demo_get, differences, fresh_store, login, serve, spawn_app, zhantu};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const STANDARD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/standards/oc4ids");
const PROJECT_SCHEMA_URL: &str = "https://standard.open-contracting.org/infrastructure/schema/0__9__5/project-schema.json";

fn read_json(file: &str) -> Value {
    let text = std::fs::read_to_string(format!("{STANDARD}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The codes of a shipped codelist (its first column).
fn codelist(name: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(format!("{STANDARD}/codelists/{name}.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every error of the package against the package schema (draft-04), which reaches the
/// project schema through its https URL: here the shipped copy, with retrieval refused.
fn schema_errors(package: &Value) -> Vec<String> {
    let registry = jsonschema::Registry::new()
        .add(PROJECT_SCHEMA_URL, read_json("project-schema.json"))
        .expect("the project schema registers")
        .prepare()
        .expect("the registry prepares");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .with_registry(&registry)
        .offline()
        .should_validate_formats(true)
        .build(&read_json("project-package-schema.json"))
        .expect("the package schema compiles offline");
    validator
        .iter_errors(package)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Every `null`, blank string, `[]` and `{}` in the value, by path.
fn empty_values(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Null => out.push(path.to_string()),
        Value::String(s) if s.trim().is_empty() => out.push(path.to_string()),
        Value::Array(a) if a.is_empty() => out.push(path.to_string()),
        Value::Object(o) if o.is_empty() => out.push(path.to_string()),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| empty_values(x, &format!("{path}/{i}"), out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| empty_values(x, &format!("{path}/{k}"), out)),
        _ => {}
    }
}

/// Every project of the registry for a reader (all pages).
async fn registry_ids(s: &Session) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut after = String::new();
    loop {
        let (status, page) = s.get(&format!("/api/v1/projects?limit=500{after}")).await;
        assert_eq!(status, 200, "{page}");
        ids.extend(page["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()));
        match page["next_cursor"].as_i64() {
            Some(n) => after = format!("&after={n}"),
            None => return ids,
        }
    }
}

fn projects(package: &Value) -> &Vec<Value> {
    package["projects"].as_array().expect("projects")
}

#[tokio::test]
async fn the_demo_package_validates_against_the_oc4ids_schemas_with_codes_from_the_codelists() {
    let (status, package) = demo_get("/api/v1/export/oc4ids.json").await;
    assert_eq!(status, 200, "{package}");
    let errors = schema_errors(&package);
    assert!(
        errors.is_empty(),
        "{} schema errors, the first: {:#?}",
        errors.len(),
        &errors[..errors.len().min(20)]
    );
    // The validator sees into the projects (through the locally resolved project schema).
    let mut broken = package.clone();
    broken["projects"][0]["status"] = json!("underway");
    broken["projects"][0]["budget"]["amount"]["amount"] = json!("100");
    broken["projects"][0]["updated"] = json!("yesterday");
    assert_eq!(schema_errors(&broken).len(), 3, "{:#?}", schema_errors(&broken));
    assert_eq!(package["version"], "0.9");
    assert_eq!(package["publisher"]["name"], "椒江区");
    assert!(package["uri"].as_str().unwrap().ends_with("/api/v1/export/oc4ids.json"));
    assert!(chrono::DateTime::parse_from_rfc3339(package["publishedDate"].as_str().unwrap()).is_ok());

    // Every project of the registry, each once, with the district's default prefix.
    let (_, registry) = demo_get("/api/v1/projects?limit=1").await;
    let all = projects(&package);
    assert_eq!(all.len() as i64, registry["total"].as_i64().unwrap());
    let ids: BTreeSet<&str> = all.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len(), "project ids are unique");
    assert!(ids.iter().all(|id| id.starts_with("oc4ids-zhantu-")), "{ids:?}");

    let (statuses, types, sectors, roles) = (
        codelist("projectStatus"),
        codelist("projectType"),
        codelist("projectSector"),
        codelist("partyRole"),
    );
    let (m_types, m_statuses, m_codes, currencies) = (
        codelist("milestoneType"),
        codelist("milestoneStatus"),
        codelist("milestoneCode"),
        codelist("currency"),
    );
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut seen_statuses = BTreeSet::new();
    let mut with_milestones = 0;
    for p in all {
        assert!(statuses.contains(&text(&p["status"])), "{}", p["status"]);
        assert!(types.contains(&text(&p["type"])), "{}", p["type"]);
        seen_statuses.insert(text(&p["status"]));
        for s in p["sector"].as_array().unwrap() {
            assert!(sectors.contains(&text(s)), "{s}");
        }
        for party in p["parties"].as_array().unwrap() {
            for r in party["roles"].as_array().unwrap() {
                assert!(roles.contains(&text(r)), "{r}");
            }
        }
        let amount = &p["budget"]["amount"];
        assert!(currencies.contains(&text(&amount["currency"])));
        assert!(amount["amount"].is_i64() || amount["amount"].is_u64(), "whole 元: {amount}");
        if let Some(ms) = p["milestones"].as_array() {
            with_milestones += 1;
            for m in ms {
                assert!(m_types.contains(&text(&m["type"])), "{m}");
                assert!(m_statuses.contains(&text(&m["status"])), "{m}");
                if let Some(c) = m.get("code") {
                    assert!(m_codes.contains(&text(c)), "{m}");
                }
                if m.get("dateMet").is_some() {
                    assert_eq!(m["status"], "met", "only a met milestone has its day: {m}");
                }
            }
        }
        if p["status"] == "completion" || p["status"] == "maintenance" {
            assert!(p["completion"]["endDate"].is_string(), "a completed project's completion: {p}");
        }
    }
    assert!(
        with_milestones > all.len() / 2,
        "the demo's projects carry their nodes as milestones"
    );
    for s in ["identification", "preparation", "implementation", "completion"] {
        assert!(seen_statuses.contains(s), "the demo has {s} projects: {seen_statuses:?}");
    }
}

#[tokio::test]
async fn every_party_named_is_in_parties_and_no_value_is_empty() {
    let (status, package) = demo_get("/api/v1/export/oc4ids.json").await;
    assert_eq!(status, 200);
    let mut empty = Vec::new();
    empty_values(&package, "", &mut empty);
    assert!(empty.is_empty(), "empty values at {:?}", &empty[..empty.len().min(20)]);
    let mut funders = 0;
    for p in projects(&package) {
        let parties: Vec<&str> = p["parties"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
        assert_eq!(
            parties.iter().collect::<BTreeSet<_>>().len(),
            parties.len(),
            "party ids unique: {p}"
        );
        // Every reference to a party: the public authority, and any `id` beside a `name` of an
        // organization reference elsewhere.
        let authority = p["publicAuthority"]["id"].as_str().expect("a public authority");
        assert!(parties.contains(&authority), "{authority} in {parties:?}");
        let public = &p["parties"].as_array().unwrap()[0];
        assert_eq!(public["name"], p["publicAuthority"]["name"]);
        assert!(public["roles"].as_array().unwrap().contains(&json!("publicAuthority")));
        funders += p["parties"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["roles"].as_array().unwrap().contains(&json!("funder")))
            .count();
    }
    assert!(funders > 0, "the demo's investors are funders");
}

#[tokio::test]
async fn a_unit_editors_package_holds_only_its_units_projects() {
    let editor = login(demo_base(), "haimen", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (status, package) = editor.get("/api/v1/export/oc4ids.json").await;
    assert_eq!(status, 200, "{package}");
    assert!(schema_errors(&package).is_empty());
    let mine = registry_ids(&editor).await;
    let (_, everything) = demo_get("/api/v1/projects?limit=1").await;
    assert!(!mine.is_empty() && (mine.len() as i64) < everything["total"].as_i64().unwrap());
    // The same projects as the editor's registry: each id ends in its code or its own id.
    let (_, all) = demo_get("/api/v1/export/oc4ids.json").await;
    assert_eq!(projects(&package).len(), mine.len());
    let exported: BTreeSet<&str> = projects(&package).iter().map(|p| p["id"].as_str().unwrap()).collect();
    let mut expected = BTreeSet::new();
    for id in &mine {
        let (_, p) = editor.get(&format!("/api/v1/projects/{id}")).await;
        let tail = p["code"].as_str().map(str::to_string).unwrap_or_else(|| id.to_string());
        expected.insert(format!("oc4ids-zhantu-{tail}"));
    }
    assert_eq!(exported, expected.iter().map(String::as_str).collect());
    assert!(projects(&all).len() > projects(&package).len());
    // The registry's filters narrow it further; none of its projects is outside the scope.
    let (status, filtered) = editor.get("/api/v1/export/oc4ids.json?stage=construction").await;
    if status == 200 {
        assert!(projects(&filtered).iter().all(|p| exported.contains(p["id"].as_str().unwrap())));
        assert!(projects(&filtered).iter().all(|p| p["status"] == "implementation"));
    } else {
        assert_eq!(status, 404, "{filtered}");
    }
}

#[tokio::test]
async fn the_prefix_is_a_district_setting() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (_, s) = admin.get("/api/v1/settings").await;
    assert!(
        s.get("oc4ids_prefix").is_none_or(Value::is_null),
        "the default until one is set: {s}"
    );
    let body = |prefix: &str| json!({"revision": s["revision"], "district_name": "椒江区", "district_division": "331002", "province_division": "330000", "as_of": "2019-12-31", "oc4ids_prefix": prefix});
    let (status, e) = admin.put("/api/v1/settings", body("ocds-abc123")).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_oc4ids_prefix")), "{e}");
    let (status, saved) = admin.put("/api/v1/settings", body("OC4IDS-JJ2019")).await;
    assert_eq!((status, saved["oc4ids_prefix"].as_str()), (200, Some("oc4ids-jj2019")), "{saved}");
    let (status, package) = admin.get("/api/v1/export/oc4ids.json").await;
    assert_eq!(status, 200);
    assert!(
        projects(&package)
            .iter()
            .all(|p| p["id"].as_str().unwrap().starts_with("oc4ids-jj2019-"))
    );
    // A client that does not know the prefix leaves it as it is.
    let (status, kept) = admin
        .put(
            "/api/v1/settings",
            json!({"revision": saved["revision"], "district_name": "椒江区", "district_division": "331002", "province_division": "330000", "as_of": "2019-12-31"}),
        )
        .await;
    assert_eq!((status, kept["oc4ids_prefix"].as_str()), (200, Some("oc4ids-jj2019")), "{kept}");
    // The settings page shows it and takes it.
    let (_, html) = admin.page("/admin/settings").await;
    assert!(html.contains(r#"name="oc4ids_prefix" value="oc4ids-jj2019""#));
}

/// How the access test exercises the import (one entry per write route).
pub(crate) async fn write_fixtures(_app: &TestApp) -> Fixtures {
    vec![(
        ("POST", "/api/v1/import/oc4ids"),
        Fixture::json("/api/v1/import/oc4ids", json!({}), true, None),
    )]
}

/// A package's projects as compared across databases: without `updated` (each database's
/// own time of writing) and with the units' party ids (each database's own ids) left out.
fn comparable(package: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = projects(package).clone();
    for p in &mut out {
        p.as_object_mut().unwrap().remove("updated");
        p["publicAuthority"].as_object_mut().unwrap().remove("id");
        for party in p["parties"].as_array_mut().unwrap() {
            if party["id"].as_str().unwrap().starts_with("unit-") {
                party["id"] = json!("unit");
            }
        }
    }
    out.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    out
}

#[tokio::test]
async fn the_demo_package_imports_into_an_empty_district_and_exports_the_same_package_again() {
    let (status, package) = demo_get("/api/v1/export/oc4ids.json").await;
    assert_eq!(status, 200);

    // An empty 椒江区, as `zhantu init` makes it, its data day the demo's.
    let (store, _dir, url) = fresh_store().await;
    let o = zhantu(&["init", "--database", &url, "--division", "331002", "--admin", "clerk"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("临时密码："))
        .and_then(|l| l.split('（').next())
        .expect("init prints the temporary password")
        .to_string();
    let base = serve(store.clone()).await;
    let s = login(&base, "clerk", &password).await.expect("sign in");
    assert_eq!(s.change_password(&password, "Jiaojiang2020xy").await, 204);
    let s = login(&base, "clerk", "Jiaojiang2020xy").await.expect("sign in again");
    let (_, current) = s.get("/api/v1/settings").await;
    let (status, set) = s
        .put(
            "/api/v1/settings",
            json!({"revision": current["revision"], "district_name": "椒江区", "district_division": "331002",
                   "province_division": "330000", "as_of": "2019-12-31"}),
        )
        .await;
    assert_eq!(status, 200, "{set}");

    // A package with a bad project is refused whole, each bad project with its reasons.
    let mut bad = package.clone();
    bad["projects"][1]["budget"]["amount"]["currency"] = json!("USD");
    bad["projects"][2].as_object_mut().unwrap().remove("title");
    let (status, e) = s.post("/api/v1/import/oc4ids", bad).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_projects")), "{e}");
    let refused = e["error"]["projects"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{e}");
    assert_eq!(refused[0]["number"], 2);
    assert_eq!(refused[0]["id"], package["projects"][1]["id"]);
    assert!(refused[0]["reasons"][0].as_str().unwrap().contains("USD"), "{e}");
    assert!(refused[1]["reasons"][0].as_str().unwrap().contains("title"), "{e}");
    let (_, none) = s.get("/api/v1/projects?limit=1").await;
    assert_eq!(none["total"], 0, "nothing was written");

    let (status, done) = s.post("/api/v1/import/oc4ids", package.clone()).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["created"].as_u64().unwrap() as usize, projects(&package).len());

    // The same package again: every project is refused as imported already.
    let (status, e) = s.post("/api/v1/import/oc4ids", package.clone()).await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["error"]["projects"].as_array().unwrap().len(), projects(&package).len());

    let (status, again) = s.get("/api/v1/export/oc4ids.json").await;
    assert_eq!(status, 200, "{again}");
    assert!(schema_errors(&again).is_empty());
    let (want, got) = (comparable(&package), comparable(&again));
    assert_eq!(want.len(), got.len());
    let diffs: Vec<String> = want
        .iter()
        .zip(&got)
        .flat_map(|(w, g)| differences(w["id"].as_str().unwrap(), w, g))
        .collect();
    assert!(
        diffs.is_empty(),
        "{} differences, the first: {:#?}",
        diffs.len(),
        &diffs[..diffs.len().min(30)]
    );
}

#[tokio::test]
async fn the_standards_own_example_is_read_refused_for_its_currency_and_imported_in_yuan() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let example = read_json("example-package.json");
    let (status, e) = admin.post("/api/v1/import/oc4ids", example.clone()).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_projects")), "{e}");
    let refused = &e["error"]["projects"][0];
    assert_eq!(refused["id"], "oc4ids-bu3kcz-m75-junctions-4-to-5-smart-motorway");
    assert_eq!(refused["reasons"].as_array().unwrap().len(), 1, "{e}");
    assert!(refused["reasons"][0].as_str().unwrap().contains("GBP"), "{e}");

    let mut in_yuan = example.clone();
    in_yuan["projects"][0]["budget"]["amount"]["currency"] = json!("CNY");
    let (status, done) = admin.post("/api/v1/import/oc4ids", in_yuan).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["units_created"], json!(["Motorways UK"]));
    let id = done["project_ids"][0].as_i64().unwrap();
    let (_, p) = admin.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(
        (p["name"].as_str(), p["stage"].as_str()),
        (Some("M75 Junctions 4 to 5 upgrade smart motorway"), Some("operating"))
    );
    assert_eq!(p["unit"]["name"], "Motorways UK");
    assert_eq!(p["started_on"], "2017-01-01");
    assert_eq!(p["completed_on"], "2018-12-10");
    // It keeps its publisher's id in our export, and its budget to the 元.
    let (_, package) = admin.get(&format!("/api/v1/export/oc4ids.json?q={}", "M75")).await;
    let mine = projects(&package)
        .iter()
        .find(|x| x["id"] == "oc4ids-bu3kcz-m75-junctions-4-to-5-smart-motorway")
        .expect("the imported project in the export");
    assert_eq!(mine["budget"]["amount"], json!({"amount": 40_000_000, "currency": "CNY"}));
    assert_eq!(mine["status"], "maintenance");
    assert!(schema_errors(&package).is_empty());
}
