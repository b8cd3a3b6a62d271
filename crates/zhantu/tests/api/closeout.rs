//! Close-out in view of its evidence, and the phone on site (issue 17): the coordinator
//! verifies a reported node on its page, beside the photo (thumbnail, EXIF time and GPS), the
//! PDF, the note and who sent it when; approving needs a confirmation, sending back a reason;
//! the server's receipt time and SHA-256 of each file are in the audit entry; a photo taken far
//! from its project is flagged; the files stay within the unit's scope. And the forms a unit
//! uses on site: the camera opens from "报完成", a weekly report starts on Monday and shows no
//! investment, projects and nodes are picked by name, never by id.

use crate::helpers::{Session, TestApp, find_by, id_version, no_redirects, spawn_app};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// A photo taken 2019-12-20 10:15:00 at 28°40'48"N 121°26'24"E (28.68, 121.44), in 椒江.
const SITE_PHOTO: &[u8] = include_bytes!("../fixtures/site-gps.jpg");
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    let (_, building) = app.get("/api/v1/projects?stage=construction&limit=500").await;
    let other = crate::helpers::of_another_unit(&building)["id"].clone();
    let (_, detail) = app.get(&format!("/api/v1/projects/{other}")).await;
    let open = detail["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["status"] != "closed")
        .expect("an open node");
    let (node, version) = id_version(open);
    vec![(
        ("POST", "/nodes/{id}/verify"),
        Fixture::versioned_form(
            format!("/nodes/{node}/verify"),
            json!({ "version": version.to_string(), "decision": "approve", "confirm": "1" }),
            true,
        ),
    )]
}

/// A project of 海门街道 whose first open node may be reported now (every node before it
/// closed): (project, node), as the API shows them.
async fn reportable(editor: &Session) -> (Value, Value) {
    let (_, list) = editor.get("/api/v1/projects?stage=construction&limit=100").await;
    for p in list["items"].as_array().unwrap() {
        let (_, d) = editor.get(&format!("/api/v1/projects/{}", p["id"])).await;
        let mut open: Vec<&Value> = d["nodes"].as_array().unwrap().iter().filter(|n| n["status"] != "closed").collect();
        open.sort_by_key(|n| n["seq"].as_i64());
        if let Some(n) = open.first()
            && n["status"] == "open"
        {
            return (d.clone(), (*n).clone());
        }
    }
    panic!("a project of 海门街道 with a node to report");
}

/// Sets the project's position (the API's `position`, "lat,lng").
async fn place(editor: &Session, project: i64, position: &str) {
    let (_, p) = editor.get(&format!("/api/v1/projects/{project}")).await;
    let (status, r) = editor
        .patch(
            &format!("/api/v1/projects/{project}"),
            json!({ "version": p["version"], "position": position }),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

/// Reports `node` done with the site photo and a PDF, as the phone's form sends them: the
/// form's other file box, left empty, comes as an empty part.
async fn report_with_photo(editor: &Session, node: &Value) -> (u16, Value) {
    let (nid, version) = id_version(node);
    let files: [(&str, &[u8]); 3] = [("IMG_0001.jpg", SITE_PHOTO), ("施工许可证.pdf", PDF), ("", b"")];
    editor
        .report_node_with(nid, version, "2019-12-20", "施工许可证已核发，现场照片见附件", &files)
        .await
}

/// Where a form post sent the browser.
async fn form_location(s: &Session, path: &str, fields: &Value) -> String {
    let resp = s.post_form_response(path, fields, true).await;
    assert_eq!(crate::helpers::status_of(&resp), 303, "POST {path}");
    resp.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn the_coordinator_verifies_in_view_of_the_evidence() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let fgj = app.login("fgj").await;
    let (project, node) = reportable(&editor).await;
    let (pid, nid) = (project["id"].as_i64().unwrap(), node["id"].as_i64().unwrap());
    place(&editor, pid, "28.681, 121.441").await;

    let before = chrono::Utc::now();
    let (status, r) = report_with_photo(&editor, &node).await;
    let after = chrono::Utc::now();
    assert_eq!(status, 200, "{r}");
    let (_, n) = fgj.get(&format!("/api/v1/nodes/{nid}")).await;
    assert_eq!(n["evidence"].as_array().unwrap().len(), 2, "the empty file box is no file");
    let photo = find_by(&n["evidence"], "content_type", "image/jpeg").clone();
    let pdf = find_by(&n["evidence"], "content_type", "application/pdf").clone();
    assert_eq!(photo["taken_at"], "2019-12-20 10:15:00");
    assert_eq!((photo["lat"].as_f64(), photo["lng"].as_f64()), (Some(28.68), Some(121.44)));
    assert_eq!(pdf["taken_at"], Value::Null);

    // The server's receipt time and the file's SHA-256, in the row and in the audit entry.
    let sha = format!("{:x}", Sha256::digest(SITE_PHOTO));
    assert_eq!(photo["sha256"], sha.as_str());
    let received: chrono::DateTime<chrono::Utc> = photo["received_at"].as_str().unwrap().parse().unwrap();
    assert!(before <= received && received <= after, "{received} within {before}..{after}");
    let (_, history) = fgj.get(&format!("/api/v1/audit?entity=node&entity_id={nid}")).await;
    let entry = find_by(&history["items"], "action", "node.report_done");
    let logged = find_by(&entry["after"]["evidence"], "file", "IMG_0001.jpg");
    assert_eq!(logged["sha256"], sha.as_str());
    assert_eq!(logged["received_at"], photo["received_at"]);
    assert_eq!(logged["taken_at"], "2019-12-20 10:15:00");

    // The node's page shows it all beside the decision.
    let (status, html) = fgj.page(&format!("/nodes/{nid}")).await;
    assert_eq!(status, 200, "{html}");
    let eid = photo["id"].as_i64().unwrap();
    assert!(html.contains(&format!(r#"src="/evidence/{eid}" loading="lazy""#)), "{html}");
    assert!(html.contains(&format!(r#"href="/evidence/{}" class="pdf-link">施工许可证.pdf"#, pdf["id"])));
    for shown in [
        "施工许可证已核发，现场照片见附件",
        "haimen",
        "2019-12-20 10:15:00",
        "28.680000, 121.440000",
        &sha[..12],
        r#"name="confirm" value="1" required"#,
        r#"name="reason" rows="2" required"#,
    ] {
        assert!(html.contains(shown), "the page shows {shown}");
    }
    assert!(!html.contains("照片拍摄位置距项目"), "taken on site: no warning");
    // The project page links to it rather than verifying in one click.
    let (_, project_page) = fgj.page(&format!("/projects/{pid}")).await;
    assert!(project_page.contains(&format!(r#"href="/nodes/{nid}#decide""#)));
    assert!(!project_page.contains(&format!(r#"data-api="/api/v1/nodes/{nid}/verify""#)));

    // The thumbnail is the file itself, inline, of the type it was sniffed as.
    let resp = fgj.response(&format!("/evidence/{eid}")).await;
    assert_eq!(crate::helpers::status_of(&resp), 200);
    assert_eq!(resp.headers()["content-type"], "image/jpeg");
    assert!(resp.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), SITE_PHOTO);

    // Approving needs the confirmation; sending back a reason.
    let version = (node["version"].as_i64().unwrap() + 1).to_string();
    let to = form_location(
        &fgj,
        &format!("/nodes/{nid}/verify"),
        &json!({ "version": version, "decision": "approve" }),
    )
    .await;
    assert!(to.starts_with(&format!("/nodes/{nid}?error=")), "{to}");
    let to = form_location(
        &fgj,
        &format!("/nodes/{nid}/verify"),
        &json!({ "version": version, "decision": "return", "reason": " " }),
    )
    .await;
    assert!(to.starts_with(&format!("/nodes/{nid}?error=")), "{to}");
    let (status, e) = fgj
        .post(
            &format!("/api/v1/nodes/{nid}/verify"),
            json!({ "version": version.parse::<i64>().unwrap(), "approve": false }),
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("node_return_reason_missing")));
    let (_, still) = fgj.get(&format!("/api/v1/nodes/{nid}")).await;
    assert_eq!(still["node"]["status"], "reported", "nothing was decided");
    let (_, page) = fgj.page(&format!("/nodes/{nid}?error=x")).await;
    assert!(page.contains(r#"class="error""#));

    // A unit editor sees no decision.
    let (_, theirs) = editor.page(&format!("/nodes/{nid}")).await;
    assert!(!theirs.contains(r#"name="decision""#));

    let to = form_location(
        &fgj,
        &format!("/nodes/{nid}/verify"),
        &json!({ "version": version, "decision": "approve", "confirm": "1" }),
    )
    .await;
    assert_eq!(to, format!("/nodes/{nid}?ok=verified"));
    let (_, done) = fgj.get(&format!("/api/v1/nodes/{nid}")).await;
    assert_eq!(done["node"]["status"], "closed");
    assert_eq!(done["node"]["verified_by"], "fgj");
    let (_, page) = fgj.page(&to).await;
    assert!(page.contains("已核验销号"), "the confirmation is shown");
    let (_, en) = fgj.page(&format!("{to}&lang=en")).await;
    assert!(en.contains("Taken at") && en.contains("Verified and closed"));
}

#[tokio::test]
async fn a_photo_taken_far_from_the_project_is_flagged() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let fgj = app.login("fgj").await;
    let (project, node) = reportable(&editor).await;
    let (pid, nid) = (project["id"].as_i64().unwrap(), node["id"].as_i64().unwrap());
    // Without a position for the project, nothing to compare: the coordinator is told so.
    assert_eq!(report_with_photo(&editor, &node).await.0, 200);
    let (_, html) = fgj.page(&format!("/nodes/{nid}")).await;
    assert!(html.contains("项目未设定位置"), "{html}");
    assert!(!html.contains("照片拍摄位置距项目"));

    // About 13 km north of where the photo was taken.
    place(&editor, pid, "28.80,121.44").await;
    // Set where the project's facts are, and shown there.
    let (_, page) = editor.page(&format!("/projects/{pid}")).await;
    assert!(page.contains(r#"<dd>28.800000, 121.440000</dd>"#), "the position among the facts");
    assert!(page.contains(&format!(r#"data-api="/api/v1/projects/{pid}" data-method="PATCH""#)));
    assert!(page.contains(r#"name="position" required maxlength="60" value="28.800000, 121.440000""#));
    let (_, html) = fgj.page(&format!("/nodes/{nid}")).await;
    assert!(html.contains("照片拍摄位置距项目约13.3公里（超过2公里）"), "{html}");
    assert!(html.contains(r#"class="warn" role="alert""#));

    // The radius is the district's setting.
    app.execute("INSERT INTO settings (key, value) VALUES ('evidence_photo_radius_km', '20')")
        .await;
    let (_, html) = fgj.page(&format!("/nodes/{nid}")).await;
    assert!(!html.contains("照片拍摄位置距项目"), "within 20 km");

    // A position is checked where it is typed.
    let (_, p) = editor.get(&format!("/api/v1/projects/{pid}")).await;
    let (status, e) = editor
        .patch(
            &format!("/api/v1/projects/{pid}"),
            json!({ "version": p["version"], "position": "北纬28度" }),
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_position")), "{e}");
}

#[tokio::test]
async fn evidence_stays_within_the_units_scope() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let (project, node) = reportable(&editor).await;
    let nid = node["id"].as_i64().unwrap();
    assert_eq!(report_with_photo(&editor, &node).await.0, 200);
    let (_, n) = editor.get(&format!("/api/v1/nodes/{nid}")).await;
    let eid = n["evidence"][0]["id"].as_i64().unwrap();
    assert_eq!(
        editor.response(&format!("/evidence/{eid}")).await.status(),
        200,
        "its own unit reads it"
    );

    // An editor of another unit, who knows (or guesses) the ids.
    let (_, all) = app.get("/api/v1/projects?limit=500").await;
    let other = crate::helpers::of_another_unit(&all)["unit"]["id"].clone();
    assert_ne!(other, project["unit"]["id"]);
    let attacker = app.create_editor("attacker", &other).await;
    for path in [
        format!("/evidence/{eid}"),
        format!("/api/v1/evidence/{eid}"),
        format!("/nodes/{nid}"),
    ] {
        let resp = attacker.response(&path).await;
        let status = crate::helpers::status_of(&resp);
        let body = resp.bytes().await.unwrap();
        assert_eq!(status, 403, "{path}");
        assert!(!body.windows(4).any(|w| w == &SITE_PHOTO[6..10]), "{path}: no byte of the photo");
    }
    // Anonymous: sent to sign in, or refused.
    let resp = no_redirects().get(format!("{}/evidence/{eid}", app.base)).send().await.unwrap();
    assert!(matches!(crate::helpers::status_of(&resp), 303 | 401));
    // An id that is no evidence.
    assert_eq!(editor.response("/evidence/99999999").await.status(), 404);
}

#[tokio::test]
async fn on_the_phone_the_forms_fit_the_site() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let (project, node) = reportable(&editor).await;
    let (pid, nid) = (project["id"].as_i64().unwrap(), node["id"].as_i64().unwrap());
    let (_, html) = editor.page(&format!("/projects/{pid}")).await;
    // "报完成" opens the camera, and after the upload a page that confirms it.
    assert!(html.contains(r#"type="file" accept="image/*" capture="environment""#));
    assert!(html.contains(&format!(r#"data-done="/nodes/{nid}?ok=reported""#)));
    let (_, done) = editor.page(&format!("/nodes/{nid}?ok=reported")).await;
    assert!(done.contains("已报送完成，等待发改局核验"));
    // The lists become cards (their cells labelled); "提出问题" on the project and each node.
    assert!(html.contains(r#"class="node-table cards-on-phone""#));
    assert!(html.contains(&format!(r#"href="/problems?project={pid}#raise""#)));
    assert!(html.contains(&format!(r#"href="/problems?project={pid}&amp;node={nid}#raise""#)));
    // A weekly report starts on the Monday of the data date's week (2019-12-31 a Tuesday).
    assert!(
        html.contains(r#"data-week-start="2019-12-30" data-month-start="2019-12-01""#),
        "{html}"
    );
    let (status, r) = editor
        .post(
            &format!("/api/v1/projects/{pid}/reports"),
            json!({ "period_kind": "week", "period_start": "2019-12-30", "body": "主体结构施工" }),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let (_, html) = editor.page(&format!("/projects/{pid}")).await;
    let row = html
        .split("<td>2019-12-30～2020-01-05</td>")
        .nth(1)
        .expect("the weekly report's row");
    let row = row.split("</tr>").next().unwrap();
    assert!(!row.contains("万元") && row.contains(r#"<td class="num">—</td>"#), "{row}");
    let (_, problems) = editor.page("/problems").await;
    assert!(problems.contains("本单位合计") && !problems.contains("全区合计"));
    let (_, problems) = app.login("fgj").await.page("/problems").await;
    assert!(problems.contains("全区合计"));
}

#[tokio::test]
async fn projects_and_nodes_are_picked_by_name_never_by_id() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let (project, node) = reportable(&editor).await;
    let (pid, nid) = (project["id"].as_i64().unwrap(), node["id"].as_i64().unwrap());
    let name = project["name"].as_str().unwrap();
    let part: String = name.chars().take(4).collect();
    let (status, hits) = editor.get(&format!("/api/v1/search/projects?q={part}")).await;
    assert_eq!(status, 200);
    let items = hits["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["name"] == name), "{hits}");
    for i in items {
        assert_eq!(i.as_object().unwrap().keys().collect::<Vec<_>>(), ["name", "unit"], "no id: {i}");
        assert_eq!(i["unit"], project["unit"]["name"], "only the unit's own projects: {i}");
    }
    let (_, nodes) = editor.get(&format!("/api/v1/search/nodes?project={name}")).await;
    let listed: Vec<&str> = nodes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&node["name"].as_str().unwrap()), "{nodes}");
    assert!(nodes["items"].as_array().unwrap().iter().all(|n| n.get("id").is_none()));

    // The problem form, opened from the node: the names filled in, no id to type.
    let (_, html) = editor.page(&format!("/problems?project={pid}&node={nid}")).await;
    let form = html.split(r#"id="raise""#).nth(1).unwrap().split("</form>").next().unwrap();
    assert!(form.contains(r#"name="project" list="r-project-list""#));
    assert!(form.contains(&format!(r#"value="{name}""#)), "{form}");
    assert!(form.contains(&format!(r#"value="{}""#, node["name"].as_str().unwrap())));
    assert!(
        !form.contains("project_id") && !form.contains("node_id") && !form.contains("编号"),
        "{form}"
    );
    // (The responsible unit's choices are ids of units, not of the project or node.)
    let inputs: String = form
        .split("<select")
        .map(|part| part.split_once("</select>").map_or(part, |(_, rest)| rest))
        .collect();
    assert!(
        !inputs.contains(&format!(r#"value="{pid}""#)) && !inputs.contains(&format!(r#"value="{nid}""#)),
        "{inputs}"
    );

    // Raised by name, it names the project and the node.
    let unit = project["unit"]["id"].to_string();
    let fields = json!({ "category": "水电气", "description": "临时用电未接入", "unit_id": unit, "project": name, "node": node["name"] });
    editor.post_form_accepted("/problems", &fields).await;
    let named = |col: &str| format!("SELECT {col} FROM problems WHERE description = '临时用电未接入'");
    assert_eq!(app.scalar(&named("project_id")).await, pid);
    assert_eq!(app.scalar(&named("node_id")).await, nid);

    // Another unit's project is no name the editor can use.
    let (_, all) = app.get("/api/v1/projects?limit=500").await;
    let theirs = crate::helpers::of_another_unit(&all);
    let fields = json!({ "category": "水电气", "description": "别人的项目", "unit_id": unit, "project": theirs["name"] });
    let (status, body) = editor.post_form("/problems", &fields, true).await;
    assert_eq!(status, 303, "{body}");
    let (_, none) = editor.get("/api/v1/problems?q=别人的项目").await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
    let (_, hits) = editor
        .get(&format!("/api/v1/search/nodes?project={}", theirs["name"].as_str().unwrap()))
        .await;
    assert_eq!(hits["items"], json!([]));
}
