//! Reporting up (区 → 市 → 省) end to end: the demo district builds its package for 2019-06
//! (the same bytes twice, money as exact integers, a workbook beside it), a unit editor is
//! refused; a city's zhantu (a second database whose division is 台州市) receives the packages
//! of two districts, sums them, names the seven districts still missing, answers the same
//! package sent again with the same receipt, takes a revision, and refuses a tampered package
//! naming why.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};
use zhantu_domain::uplink::{Package, totals_of};

async fn as_city(app: &TestApp) {
    app.execute("UPDATE settings SET value = '331000' WHERE key = 'district_division'")
        .await;
    app.execute("UPDATE settings SET value = '台州市' WHERE key = 'district_name'")
        .await;
}

fn package(v: &Value) -> Package {
    serde_json::from_value(v.clone()).expect("a package")
}

/// The package of another district below the same city: the demo's, re-labelled, its digest
/// computed again (as that district's zhantu would have).
fn relabelled(p: &Package, division: &str, name: &str) -> Package {
    let mut q = p.clone();
    q.division = division.into();
    q.district_name = name.into();
    q.projects.truncate(q.projects.len() / 2);
    q.totals = totals_of(&q.projects);
    q.digest = q.computed_digest();
    q
}

#[tokio::test]
async fn a_district_reports_up_and_the_city_sums_its_districts() {
    let district = spawn_app().await;

    // The package: the same bytes each time it is built from the same data.
    let first = district.download("/api/v1/uplink/2019-06").await;
    let again = district.download("/api/v1/uplink/2019-06").await;
    assert_eq!(first.status, 200, "{}", String::from_utf8_lossy(&first.body));
    assert_eq!(first.body, again.body, "the same data gives the same package byte for byte");
    let v: Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(v["format"], "zhantu-uplink/1");
    assert_eq!(v["division"], "331002");
    assert_eq!(v["district_name"], "椒江区");
    assert_eq!(v["period"], "2019-06");
    assert!(v.get("generated_at").is_none());
    let projects = v["projects"].as_array().unwrap();
    let all = district.scalar("SELECT COUNT(*) FROM projects").await;
    assert_eq!(projects.len() as i64, all, "every project of the district");
    assert_eq!(v["totals"]["projects"].as_i64(), Some(all));
    assert!(
        v["totals"]["investment_ytd"].is_i64() && v["totals"]["investment_ytd"].as_i64().unwrap() > 0,
        "{}",
        v["totals"]
    );
    assert!(
        projects
            .iter()
            .all(|p| p["total_investment"].is_i64() && p["investment_ytd"].is_i64())
    );
    assert!(projects.iter().any(|p| !p["nodes"].as_array().unwrap().is_empty()));
    // The demo's light history keeps June's lights: the package carries those, not today's.
    let at_month_end = projects.iter().filter(|p| p["light_source"] == "month_end").count();
    assert!(at_month_end > 0, "{}", projects[0]);
    eprintln!(
        "uplink: the demo's package is {} bytes, {at_month_end} of {} lights as of 2019-06-30",
        first.body.len(),
        projects.len()
    );
    let ytd: i64 = district
        .scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM monthly_investment WHERE year = 2019 AND month <= 6")
        .await;
    assert_eq!(v["totals"]["investment_ytd"].as_i64(), Some(ytd));
    let pkg = package(&v);
    assert!(pkg.validate().is_ok());
    assert_eq!(pkg.digest, pkg.computed_digest());

    let xlsx = district.download("/api/v1/uplink/2019-06/package.xlsx").await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.content_type().contains("spreadsheetml"), "{}", xlsx.content_type());

    // The district-wide view: a unit editor is refused; a bad period says why.
    let editor = district.login("haimen").await;
    let (status, e) = editor.get("/api/v1/uplink/2019-06").await;
    assert_eq!(status, 403, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("无权"), "{e}");
    let (status, _) = district.login("lingdao").await.get("/api/v1/uplink/2019-06").await;
    assert_eq!(status, 200, "a district leader may build it");
    let (status, e) = district.get("/api/v1/uplink/2019-6").await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("uplink_period_invalid")), "{e}");

    // The city receives two districts' packages.
    let city = spawn_app().await;
    as_city(&city).await;
    let other = relabelled(&pkg, "331003", "黄岩区");
    let coordinator = city.login("fgj").await;
    let before = city.audit_count().await;
    let receipt = coordinator.post_json_expect("/api/v1/uplink/received", json!(pkg), 201).await;
    assert_eq!(receipt["status"], "accepted");
    assert_eq!(receipt["division"], "331002");
    assert_eq!(receipt["district_name"], "椒江区");
    assert_eq!(receipt["period"], "2019-06");
    assert_eq!(receipt["digest"], json!(pkg.digest));
    assert_eq!(receipt["projects"].as_i64(), Some(all));
    coordinator.post_json_expect("/api/v1/uplink/received", json!(other), 201).await;
    assert_eq!(city.audit_count().await, before + 2, "each receipt is audited");

    // Sent again: the same receipt, nothing written.
    let repeat = coordinator.post_json_expect("/api/v1/uplink/received", json!(pkg), 200).await;
    assert_eq!(repeat["status"], "unchanged");
    let strip = |mut r: Value| {
        r.as_object_mut().unwrap().remove("status");
        r
    };
    assert_eq!(strip(repeat.clone()), strip(receipt.clone()));
    assert_eq!(city.audit_count().await, before + 2);

    // A revision replaces the package held.
    let mut revised = other.clone();
    revised.projects[0].investment_month += 1;
    revised.projects[0].investment_ytd += 1;
    revised.totals = totals_of(&revised.projects);
    revised.digest = revised.computed_digest();
    let r = coordinator.post_json_expect("/api/v1/uplink/received", json!(revised), 200).await;
    assert_eq!(r["status"], "revised");
    assert_ne!(r["digest"], json!(other.digest));

    // Tampered on the way: every bad part named.
    let mut tampered = pkg.clone();
    tampered.projects[0].investment_ytd += 1_000_000;
    tampered.totals = totals_of(&tampered.projects);
    let (status, e) = coordinator.post("/api/v1/uplink/received", json!(tampered)).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_fields")), "{e}");
    let codes: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["uplink_digest_mismatch"], "{e}");
    let mut bad = json!(pkg);
    bad["format"] = json!("zhantu-uplink/9");
    bad["division"] = json!("3310");
    bad["totals"]["projects"] = json!(1);
    let (status, e) = coordinator.post("/api/v1/uplink/received", bad).await;
    assert_eq!(status, 400, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["format", "division", "totals", "digest"], "{e}");
    assert_eq!(city.audit_count().await, before + 3, "refused packages change nothing");

    // The city's view: the sum over its districts, and those missing.
    let (status, view) = city.get("/api/v1/uplink/received?period=2019-06").await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["receiver"], "331000");
    let districts = view["districts"].as_array().unwrap();
    assert_eq!(districts.len(), 2);
    assert_eq!(districts[1]["status"], "revised");
    let want = zhantu_domain::uplink::sum([&pkg.totals, &revised.totals]);
    assert_eq!(view["sum"], json!(want));
    assert_eq!(
        view["sum"]["investment_ytd"].as_i64().unwrap(),
        pkg.totals.investment_ytd + revised.totals.investment_ytd
    );
    let missing: Vec<&str> = view["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["division"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["331004", "331022", "331023", "331024", "331081", "331082", "331083"]);
    let (_, none) = city.get("/api/v1/uplink/received?period=2019-07").await;
    assert_eq!(none["districts"], json!([]));
    assert_eq!(none["missing"].as_array().unwrap().len(), 9);

    // A large district's package (here 5 × the demo's, over 1 MiB) is taken whole.
    let mut large = relabelled(&pkg, "331004", "路桥区");
    large.period = "2019-05".into();
    large.projects = (0..5)
        .flat_map(|i| {
            pkg.projects.iter().map(move |p| {
                let mut p = p.clone();
                p.code = format!("{}-{i}", p.code);
                p
            })
        })
        .collect();
    large.totals = totals_of(&large.projects);
    large.digest = large.computed_digest();
    assert!(serde_json::to_vec(&large).unwrap().len() > 1024 * 1024);
    let r = coordinator.post_json_expect("/api/v1/uplink/received", json!(large), 201).await;
    assert_eq!(r["projects"].as_i64(), Some(5 * all));

    // The page shows both sides, in Chinese first.
    let (status, html) = coordinator.page("/uplink?period=2019-06").await;
    assert_eq!(status, 200, "{html}");
    for text in [
        "黄岩区",
        "路桥区",
        "尚未上报的下级",
        "/api/v1/uplink/2019-06/package.xlsx",
        &pkg.digest[..12],
    ] {
        assert!(html.contains(text), "the page shows {text}");
    }
    let (status, html) = coordinator.page("/uplink?period=2019-06&lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Not reported yet"));
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the English page has Chinese outside data: {chinese:?}");
    let (status, _) = editor.page("/uplink").await;
    assert_eq!(status, 403);

    // The packages received move with a backup, as every table does.
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("city.db");
    let out = crate::helpers::zhantu(&["backup", "--database", &city.url, "--to", &backup.to_string_lossy()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let copy = zhantu_store::Store::open(&backup.to_string_lossy(), zhantu_store::OpenMode::ExistingOnly)
        .await
        .unwrap();
    let held = |sums: Vec<zhantu_store::TableSum>| {
        sums.into_iter()
            .find(|s| s.table == "uplink_received")
            .expect("the table is copied")
    };
    assert_eq!(held(copy.checksums().await.unwrap()), held(city.store.checksums().await.unwrap()));
    assert_eq!(copy.uplinks_received("2019-06").await.unwrap().len(), 2);
}

/// The write route for the access walk (`security::every_write_route_is_guarded`): a whole,
/// valid package, so that only the role decides.
pub(crate) async fn write_fixtures(app: &TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let projects = app.store.uplink_projects(2019, 6).await.unwrap();
    let p = Package::build("331002", "椒江区", "2019-06", projects);
    vec![(
        ("POST", "/api/v1/uplink/received"),
        Fixture::json("/api/v1/uplink/received", json!(p), true, None),
    )]
}
