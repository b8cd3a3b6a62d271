//! The figures of SCENARIO-2019.md, computed by the app from the generated demo district.

use crate::helpers::{demo_base, demo_get, download, find_by, sum_of};
use serde_json::Value;

fn landing<'a>(f: &'a Value, name: &str) -> &'a Value {
    find_by(&f["landing"], "category", name)
}

#[tokio::test]
async fn figures_2019_reproduce_the_seed_article() {
    let (status, f) = demo_get("/api/v1/figures?year=2019").await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["year"], 2019);
    assert_eq!(f["as_of"], "2019-12-31");

    let p152 = landing(&f, "省\"152\"项目");
    assert_eq!((p152["targeted"].as_u64(), p152["landed"].as_u64()), (Some(5), Some(4)));
    assert_eq!(p152["rate_pct"].to_string(), "80.0");
    assert_eq!(p152["target_pct"].to_string(), "50.0");
    assert_eq!(p152["target_met"], true);
    let mayor = landing(&f, "市县长项目");
    assert_eq!((mayor["targeted"].as_u64(), mayor["landed"].as_u64()), (Some(12), Some(6)));
    assert_eq!(mayor["rate_pct"].to_string(), "50.0");
    assert_eq!(mayor["target_pct"].to_string(), "30.0");
    for (name, n) in [("千亿产业培育工程", 14), ("产业数字化项目", 10)] {
        let l = landing(&f, name);
        assert_eq!((l["targeted"].as_u64(), l["landed"].as_u64()), (Some(n), Some(n)), "{name}");
    }

    assert_eq!(f["fai_growth_pct"].to_string(), "33.1");
    assert_eq!(f["fai_province_growth_pct"].to_string(), "10.1");
    assert_eq!(f["fai_points_vs_province"].to_string(), "23.0");

    let b = &f["batches"];
    assert_eq!(b["count"], 5);
    assert_eq!(b["projects"], 38);
    assert_eq!(b["total_investment_wan"].to_string(), "3635000");
    assert_eq!(b["annual_investment_wan"].to_string(), "941000");
    assert_eq!(b["items"].as_array().unwrap().len(), 5);

    let campaigns = f["campaigns"].as_array().unwrap();
    let c = campaigns
        .iter()
        .find(|c| c["name"].as_str().unwrap().contains("奋战60天"))
        .expect("the 60-day campaign");
    assert_eq!((c["target_nodes"].as_u64(), c["closed_nodes"].as_u64()), (Some(60), Some(60)));

    assert_eq!(f["supervision_rounds"], 6);
    assert!(f["enterprise_visits"].as_u64().unwrap() > 2100, "{}", f["enterprise_visits"]);
    assert!(f["problems"]["closed"].as_u64().unwrap() > 500, "{}", f["problems"]);
    assert!(f["problems"]["raised"].as_u64().unwrap() >= f["problems"]["closed"].as_u64().unwrap());
    assert_eq!(f["projects_planned"], 188);
    assert_eq!(f["land_quota"]["granted_mu"], "485");
    let ppp = find_by(&f["categories"], "code", "ppp");
    assert_eq!(ppp["projects"], 9);

    let rate = f["node_on_time_rate_pct"].as_f64().expect("on-time rate");
    assert!((0.0..=100.0).contains(&rate));
    let lights = sum_of(&f["lights"], "projects");
    assert!(lights > 0);
}

#[tokio::test]
async fn figures_of_a_year_without_data_are_empty_not_errors() {
    let (status, f) = demo_get("/api/v1/figures?year=2005").await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["batches"]["count"], 0);
    assert_eq!(f["fai_growth_pct"], Value::Null);
}

#[tokio::test]
async fn a_bad_year_is_a_chinese_400() {
    let (status, e) = demo_get("/api/v1/figures?year=abc").await;
    assert_eq!(status, 400);
    assert_eq!(e["error"]["code"], "invalid_year");
    assert!(e["error"]["message"].as_str().unwrap().contains("年份"), "{e}");
}

#[tokio::test]
async fn the_overview_page_shows_the_figures_in_chinese() {
    let body = download(demo_base(), "/").await.text();
    assert!(body.contains("椒江区"), "{body}");
    assert!(body.contains("80.0%") && body.contains("50.0%"));
    assert!(body.contains("363.50亿元") && body.contains("94.10亿元"));
}
