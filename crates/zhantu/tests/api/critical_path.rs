//! Dependencies that move dates, and the critical path (#20 item 2) end to end: a project by
//! hand with nodes A→B, A→C, (B, C)→D, D→E with lags in working days; A has slipped, so B, C,
//! D and E are pushed; the schedule API gives each node's forecast, float and the critical
//! path; D's red reason names its overdue predecessor; the project page and the predecessor
//! form show it in both languages; a cycle is refused; a unit editor of another unit can
//! neither read nor set them.

use crate::helpers::{Session, TestApp, spawn_app};
use serde_json::{Value, json};

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

async fn project(app: &TestApp, pid: i64) -> Value {
    let (status, p) = app.get(&format!("/api/v1/projects/{pid}")).await;
    assert_eq!(status, 200, "{p}");
    p
}

/// A project of the editor's unit whose only nodes are `nodes` (name, planned date), in order:
/// the template's nodes are removed first (a draft plan). Its id and the nodes' ids.
async fn project_by_hand(app: &TestApp, editor: &Session, nodes: &[(&str, chrono::NaiveDate)]) -> (i64, Vec<i64>) {
    let me = app.store.user_by_username("haimen").await.unwrap().unwrap();
    let leader = app.scalar("SELECT MIN(id) FROM people WHERE is_leader = 1").await;
    let (status, p) = editor
        .post(
            "/api/v1/projects",
            json!({
                "name": "关键路径测试项目", "unit_id": me.unit_id, "leader_id": leader, "project_type": "工业项目",
                "stage": "谋划", "stage_on": "2019-11-15", "total_investment": "50000",
                "planned_year": 2020, "planned_start_on": "2020-06-30", "industry_code": "3411",
                "division_code": "331002001", "location": "海门街道", "land_area": "20",
                "investor": "台州某某科技有限公司", "foreign": false, "description": "前置节点与关键路径",
            }),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    let pid = p["id"].as_i64().unwrap();
    for n in arr(&project(app, pid).await["nodes"]).clone() {
        let (status, r) = editor
            .send(
                "DELETE",
                &format!("/api/v1/nodes/{}", n["id"]),
                Some(json!({"version": n["version"]})),
                true,
            )
            .await;
        assert_eq!(status, 200, "{r}");
    }
    let mut ids = Vec::new();
    for (name, on) in nodes {
        let version = project(app, pid).await["version"].clone();
        let (status, r) = editor
            .post(
                &format!("/api/v1/projects/{pid}/nodes"),
                json!({"version": version, "name": name, "planned_on": on.to_string()}),
            )
            .await;
        assert_eq!(status, 201, "{r}");
        ids.push(r["node"]["id"].as_i64().unwrap());
    }
    (pid, ids)
}

fn preds(list: &[(i64, i64)]) -> Value {
    json!({ "predecessors": list.iter().map(|(n, lag)| json!({"node_id": n, "lag_days": lag})).collect::<Vec<_>>() })
}

#[tokio::test]
async fn a_slip_pushes_the_nodes_after_it_and_the_critical_path_shows_where_the_end_moves() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let today = app.store.as_of().await.unwrap();
    let cal = app.store.calendar().await.unwrap();
    assert!(cal.is_working_day(today), "the demo's date is a working day: {today}");
    let wd = |n: i64| cal.add_working_days(today, n);
    let ago = |n: i64| today - chrono::Duration::days(n);
    // All but E are past their plans: A slipped first; E, the project's last node, is planned
    // 13 working days out.
    let (pid, ids) = project_by_hand(
        &app,
        &editor,
        &[
            ("用地预审", ago(45)),
            ("环评批复", ago(35)),
            ("能评批复", ago(35)),
            ("施工许可", ago(30)),
            ("竣工验收", wd(13)),
        ],
    )
    .await;
    let [a, b, c, d, e] = ids[..] else { panic!("{ids:?}") };
    let put = |node: i64| format!("/api/v1/nodes/{node}/dependencies");
    // Nodes added by hand follow each other in a chain; set what each really waits for.
    for (node, list) in [(b, vec![(a, 2)]), (c, vec![(a, 1)]), (d, vec![(b, 3), (c, 0)]), (e, vec![(d, 10)])] {
        let (status, r) = editor.put(&put(node), preds(&list)).await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(arr(&r["predecessors"]).len(), list.len(), "{r}");
    }
    let (_, r) = editor.get(&put(d)).await;
    assert_eq!(
        arr(&r["predecessors"])
            .iter()
            .map(|p| (p["name"].as_str().unwrap(), p["lag_days"].as_i64().unwrap()))
            .collect::<Vec<_>>(),
        vec![("环评批复", 3), ("能评批复", 0)]
    );
    let audited = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'dependencies.set' AND entity_id IN ({a}, {b}, {c}, {d}, {e})"
        ))
        .await;
    assert_eq!(audited, 4);

    // The schedule: A's forecast is today; B, C, D, E pushed by predecessor + lag.
    let (status, s) = editor.get(&format!("/api/v1/projects/{pid}/critical-path")).await;
    assert_eq!(status, 200, "{s}");
    let node = |id: i64| arr(&s["nodes"]).iter().find(|n| n["id"].as_i64() == Some(id)).unwrap().clone();
    let day = |v: &Value| v.as_str().unwrap().parse::<chrono::NaiveDate>().unwrap();
    assert_eq!(s["day_kind"], "working");
    assert_eq!(day(&node(a)["forecast_on"]), today);
    assert_eq!((day(&node(b)["forecast_on"]), node(b)["pushed_by"].as_i64()), (wd(2), Some(a)));
    assert_eq!((day(&node(c)["forecast_on"]), node(c)["pushed_by"].as_i64()), (wd(1), Some(a)));
    assert_eq!((day(&node(d)["forecast_on"]), node(d)["pushed_by"].as_i64()), (wd(5), Some(b)));
    assert_eq!((day(&node(e)["forecast_on"]), node(e)["pushed_by"].as_i64()), (wd(15), Some(d)));
    assert_eq!(day(&s["target_on"]), wd(13));
    assert_eq!(day(&s["forecast_end_on"]), wd(15));
    // Floats against E's plan: the chain A–B–D–E is 2 working days late; C has 2 to spare.
    let floats: Vec<Option<i64>> = [a, b, c, d, e].iter().map(|id| node(*id)["float_days"].as_i64()).collect();
    assert_eq!(floats, vec![Some(-2), Some(-2), Some(2), Some(-2), Some(-2)], "{s}");
    assert_eq!(s["critical_path"], json!([a, b, d, e]));
    assert_eq!(node(c)["critical"], false);
    assert_eq!(node(d)["critical"], true);
    assert_eq!(node(d)["predecessors"][0]["lag_days"], 3);

    // D is red by its own date, and says which predecessor holds it up, in both languages.
    let p = project(&app, pid).await;
    let dn = arr(&p["nodes"]).iter().find(|n| n["id"].as_i64() == Some(d)).unwrap().clone();
    assert_eq!(dn["light"], "red", "{dn}");
    let reason = dn["light_reason"].as_str().unwrap();
    assert!(
        reason.starts_with("施工许可逾期") && reason.ends_with("，因前置节点「环评批复」逾期"),
        "{reason}"
    );
    let reason_en = dn["light_reason_en"].as_str().unwrap();
    assert!(reason_en.ends_with("; predecessor \"环评批复\" overdue"), "{reason_en}");
    let an = arr(&p["nodes"]).iter().find(|n| n["id"].as_i64() == Some(a)).unwrap().clone();
    assert!(
        !an["light_reason"].as_str().unwrap().contains("前置节点"),
        "A waits for nothing: {an}"
    );

    // A cycle is refused with its code, and nothing changes.
    let before = app.audit_count().await;
    let (status, r) = editor.put(&put(a), preds(&[(e, 0)])).await;
    assert_eq!((status, r["error"]["code"].as_str()), (400, Some("dependency_cycle")), "{r}");
    let (status, r) = editor.put(&put(a), preds(&[(a, 0)])).await;
    assert_eq!((status, r["error"]["code"].as_str()), (400, Some("dependency_self")), "{r}");
    // (A node of another unit's project is refused earlier, by the scope guard.)
    let other_node = app
        .scalar(&format!(
            "SELECT MIN(n.id) FROM nodes n JOIN projects p ON p.id = n.project_id WHERE p.id <> {pid} \
             AND p.unit_id = (SELECT unit_id FROM projects WHERE id = {pid})"
        ))
        .await;
    let (status, r) = editor.put(&put(a), preds(&[(other_node, 0)])).await;
    assert_eq!(
        (status, r["error"]["code"].as_str()),
        (400, Some("dependency_other_project")),
        "{r}"
    );
    assert_eq!(app.audit_count().await, before);

    // A unit editor of another unit neither reads nor sets them.
    let other_unit = app.scalar("SELECT id FROM units WHERE name = '白云街道'").await;
    let stranger = app.create_editor("cp_baiyun", &json!(other_unit)).await;
    assert_eq!(stranger.get(&format!("/api/v1/projects/{pid}/critical-path")).await.0, 403);
    assert_eq!(stranger.get(&put(d)).await.0, 403);
    let (status, r) = stranger.put(&put(d), preds(&[])).await;
    assert_eq!(status, 403, "{r}");
    let (status, _) = stranger.page(&format!("/nodes/{d}/dependencies")).await;
    assert_eq!(status, 403);

    // The project page: the panel with floats and the critical nodes marked; the form.
    let (status, html) = editor.page(&format!("/projects/{pid}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"id="critical-path""#) && html.contains("总时差（工作日）"),
        "the panel"
    );
    assert!(
        html.contains(&format!(r#"<tr id="cp-{d}" class="critical" data-float="-2">"#)),
        "D on the critical path"
    );
    assert!(html.contains(&format!(r#"<tr id="cp-{c}" data-float="2">"#)), "C off it");
    assert!(html.contains("环评批复 +3、能评批复"), "D's predecessors with their lags");
    assert!(html.contains("因前置节点「环评批复」逾期"), "the reason in the node table");
    assert!(html.contains(&format!(r#"href="/nodes/{d}/dependencies""#)), "the form is linked");
    let (status, html) = editor.page(&format!("/nodes/{c}/dependencies")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(r#"name="pred" value="{a}" checked"#)) && html.contains("保存前置节点"),
        "the form"
    );
    // The form sets C's predecessors: A with 4 working days.
    let (status, _) = editor
        .post_form(
            &format!("/nodes/{c}/dependencies"),
            &json!({"pred": a.to_string(), format!("lag_{a}"): "4"}),
            true,
        )
        .await;
    assert!(status == 200 || status == 303, "{status}");
    let (_, r) = editor.get(&put(c)).await;
    assert_eq!(r["predecessors"][0]["lag_days"], 4, "{r}");
    assert_eq!(day(&r["schedule"]["forecast_on"]), wd(4));
    // In English: the form's page whole, and the project page's panel (the page's timeline
    // above it is the nodes mechanism's).
    let (status, html) = editor.page(&format!("/nodes/{d}/dependencies?lang=en")).await;
    assert_eq!(status, 200);
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the form in English has Chinese outside data: {chinese:?}");
    let (_, html) = editor.page(&format!("/projects/{pid}?lang=en")).await;
    let panel = html
        .split(r#"id="critical-path""#)
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    let chinese = crate::english::chinese_outside_data(panel);
    assert!(chinese.is_empty(), "the panel in English has Chinese outside data: {chinese:?}");
    assert!(
        html.contains("Total float (working days)") && html.contains("Critical path"),
        "the English panel"
    );
    assert!(
        html.contains(r#"predecessor "环评批复" overdue"#) || html.contains("predecessor &quot;"),
        "the English reason"
    );
}

/// Template steps carry the 并联/主线 marker: the demo's 用地预审 runs in parallel, 施工许可 on the
/// main line; a coordinator marks a step through the API and the type's page shows it.
#[tokio::test]
async fn template_steps_are_marked_parallel_or_on_the_main_line() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (status, t) = coordinator.get("/api/v1/project-types/industrial").await;
    assert_eq!(status, 200, "{t}");
    let step = |t: &Value, name: &str| arr(&t["steps"]).iter().find(|s| s["name"] == name).unwrap().clone();
    assert_eq!(step(&t, "用地预审")["parallel"], true, "{t}");
    assert_eq!(step(&t, "施工许可")["parallel"], false);
    let mut body = t.clone();
    for s in body["steps"].as_array_mut().unwrap() {
        if s["name"] == "规划许可" {
            s["parallel"] = json!(true);
        }
    }
    let (status, r) = coordinator.put("/api/v1/project-types/industrial", body).await;
    assert_eq!(status, 200, "{r}");
    let (_, t) = coordinator.get("/api/v1/project-types/industrial").await;
    assert_eq!(step(&t, "规划许可")["parallel"], true, "{t}");
    let (status, html) = coordinator.page("/admin/project-types/industrial").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("并联/主线") && html.contains(r#"value="1" checked> 并联"#),
        "the page shows the marker"
    );
    let (_, html) = coordinator.page("/admin/project-types/industrial?lang=en").await;
    assert!(
        html.contains("Parallel / main line") && html.contains("checked> parallel"),
        "and in English"
    );
}

/// The battle map and the node export (#20 item 2, "the battle map shows the critical path
/// and each node's float"): the same A→B, A→C, (B, C)→D, D→E project as above, its critical
/// nodes ringed with a legend entry, each node's float in its hover title, the critical nodes
/// named in the project's title (the text a screen reader gets), the filter 只看关键路径, in
/// both languages; the export's 总浮动（工作日） and 关键路径 columns; a unit editor of another
/// unit does not see the project on the map.
#[tokio::test]
async fn the_battle_map_and_the_node_export_show_the_critical_path_and_each_nodes_float() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let today = app.store.as_of().await.unwrap();
    let cal = app.store.calendar().await.unwrap();
    let wd = |n: i64| cal.add_working_days(today, n);
    let ago = |n: i64| today - chrono::Duration::days(n);
    let (_, ids) = project_by_hand(
        &app,
        &editor,
        &[
            ("用地预审", ago(45)),
            ("环评批复", ago(35)),
            ("能评批复", ago(35)),
            ("施工许可", ago(30)),
            ("竣工验收", wd(13)),
        ],
    )
    .await;
    let [a, b, c, d, e] = ids[..] else { panic!("{ids:?}") };
    for (node, list) in [(b, vec![(a, 2)]), (c, vec![(a, 1)]), (d, vec![(b, 3), (c, 0)]), (e, vec![(d, 10)])] {
        let (status, r) = editor.put(&format!("/api/v1/nodes/{node}/dependencies"), preds(&list)).await;
        assert_eq!(status, 200, "{r}");
    }
    // The demo's own lags: a few projects' open nodes wait 5 and 10 working days.
    let demo_node = app
        .scalar(&format!(
            "SELECT MIN(node_id) FROM node_dependencies WHERE lag_days = 5 AND node_id NOT IN ({a}, {b}, {c}, {d}, {e})"
        ))
        .await;
    let demo_project = app.scalar(&format!("SELECT project_id FROM nodes WHERE id = {demo_node}")).await;
    let (_, s) = app.get(&format!("/api/v1/projects/{demo_project}/critical-path")).await;
    let lags: Vec<i64> = arr(&s["nodes"])
        .iter()
        .flat_map(|n| {
            arr(&n["predecessors"])
                .iter()
                .map(|p| p["lag_days"].as_i64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(lags, vec![5, 10], "{s}");
    let q = "q=关键路径测试项目";
    let (status, html) = editor.page(&format!("/battle-map?{q}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("关键路径: 用地预审 (总时差 -2 个工作日), 环评批复 (总时差 -2 个工作日), 施工许可 (总时差 -2 个工作日), 竣工验收 (总时差 -2 个工作日)"),
        "the project's title names its critical nodes with their floats"
    );
    assert!(html.contains("能评批复 · 计划 "), "C has a hover title");
    assert!(html.contains("· 总时差 2 个工作日"), "C's float in its hover title");
    assert!(html.contains("· 总时差 -2 个工作日 · 关键路径"), "a critical node's hover title");
    assert_eq!(html.matches("data-critical").count(), 1, "one path of rings");
    assert_eq!(html.matches("l8 8-8 8-8-8z").count(), 4, "A, B, D and E ringed");
    assert!(
        html.contains("关键路径上的节点（外框）") && html.contains("只看关键路径"),
        "legend and filter"
    );
    // Only the critical path: C is left out, the filter stays checked and goes with the zoom.
    let (status, html) = editor.page(&format!("/battle-map?{q}&critical=1")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("能评批复 · 计划 "), "C is not drawn");
    assert!(html.contains("环评批复 · 计划 "), "B is");
    assert!(html.contains(r#"name="critical" value="1" checked"#));
    assert!(
        html.contains("critical=1&amp;zoom=week") || html.contains("critical=1&zoom=week"),
        "zoom links keep it"
    );
    // In English.
    let (_, html) = editor.page(&format!("/battle-map?{q}&lang=en")).await;
    assert!(
        html.contains("Critical path: 用地预审 (total float -2 working days)")
            && html.contains("Critical path only")
            && html.contains("Node on the critical path (outline)"),
        "the English map"
    );
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the map in English has Chinese outside data: {chinese:?}");
    // The SVG file marks them too.
    let svg = app.download(&format!("/battle-map.svg?{q}")).await;
    assert_eq!(svg.status, 200);
    assert!(String::from_utf8_lossy(&svg.body).contains("data-critical"));
    // Another unit's editor does not see the project.
    let other_unit = app.scalar("SELECT id FROM units WHERE name = '白云街道'").await;
    let stranger = app.create_editor("cpm_baiyun", &json!(other_unit)).await;
    let (_, html) = stranger.page(&format!("/battle-map?{q}")).await;
    assert!(html.contains(r#"name="critical""#), "the map is drawn");
    assert!(!html.contains("关键路径: 用地预审"), "the project is not on another unit's map");

    // The node export: float and critical after the import's columns.
    let x = app.download(&format!("/api/v1/export/nodes.xlsx?{q}")).await;
    assert_eq!(x.status, 200);
    let sheets = zhantu_office::read_sheets(&x.body, "x.xlsx").unwrap();
    let rows: Vec<Vec<String>> = sheets[0].rows.iter().map(|r| r.iter().map(|c| c.as_text()).collect()).collect();
    let header = rows.iter().find(|r| r.iter().any(|c| c == "节点名称")).unwrap().clone();
    let col = |h: &str| header.iter().position(|c| c == h).unwrap_or_else(|| panic!("{h}: {header:?}"));
    let (name, float, critical) = (col("节点名称"), col("总浮动（工作日）"), col("关键路径"));
    let of = |n: &str| {
        let r = rows.iter().find(|r| r.get(name).map(String::as_str) == Some(n)).unwrap();
        (r[float].clone(), r[critical].clone())
    };
    assert_eq!(of("能评批复"), ("2".to_string(), "否".to_string()));
    assert_eq!(of("施工许可"), ("-2".to_string(), "是".to_string()));
}

pub(crate) async fn write_fixtures(app: &TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let (_, list) = app.get("/api/v1/projects?limit=500").await;
    let theirs = crate::helpers::of_another_unit(&list)["id"].clone();
    let node = app.scalar(&format!("SELECT MIN(id) FROM nodes WHERE project_id = {theirs}")).await;
    vec![
        (
            ("PUT", "/api/v1/nodes/{id}/dependencies"),
            Fixture::json(
                format!("/api/v1/nodes/{node}/dependencies"),
                json!({"predecessors": []}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/nodes/{id}/dependencies"),
            Fixture::form(format!("/nodes/{node}/dependencies"), json!({}), true, None),
        ),
    ]
}
