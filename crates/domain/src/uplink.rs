//! 逐级上报 (区 → 市 → 省): the package a district sends up for a month, and what the city (or
//! province) makes of the packages it receives.
//!
//! A package holds every project of the district keyed by its national project code
//! (国家项目代码; `zhantu-<id>` for a project without one), with its stage, light, money (integer
//! 元) and nodes, the totals, and a `digest`: SHA-256 of the package's canonical content (its
//! JSON without the digest, fields in the order declared here, no whitespace). Nothing in it
//! depends on when it was built, so the same data gives the same package byte for byte, and
//! the receiver can tell a package sent twice from a revised one by the digest alone.

use crate::error::FieldErrors;
use crate::reference::divisions;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format tag of a package: changes when its meaning changes.
pub const FORMAT: &str = "zhantu-uplink/1";

/// Where a project's light comes from.
pub const LIGHT_AT_MONTH_END: &str = "month_end";
pub const LIGHT_CURRENT: &str = "current";

/// One node of a project as sent up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PackageNode {
    pub name: String,
    /// `YYYY-MM-DD`.
    pub planned_on: String,
    pub actual_on: Option<String>,
    /// `open`, `reported`, `closed`.
    pub status: String,
}

/// One project as sent up. Money is integer 元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PackageProject {
    /// 国家项目代码, or `zhantu-<id>` when the project has none.
    pub code: String,
    pub name: String,
    /// 责任单位.
    pub unit: String,
    /// The stage's code (`planning`, `construction`, …).
    pub stage: String,
    /// `red`, `yellow`, `green`; none when the project has no light.
    pub light: Option<String>,
    /// [`LIGHT_AT_MONTH_END`]: the light kept for the period's month; [`LIGHT_CURRENT`]: none was
    /// kept, so the light of today.
    pub light_source: String,
    pub total_investment: i64,
    /// 年度计划投资 of the period's year.
    pub year_plan: i64,
    /// 当月完成投资.
    pub investment_month: i64,
    /// 年度累计完成投资, January to the period's month.
    pub investment_ytd: i64,
    pub nodes: Vec<PackageNode>,
}

/// Projects by light.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LightCounts {
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    /// Projects without a light.
    pub none: i64,
}

/// The totals of a package (and of several: [`sum`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Totals {
    pub projects: i64,
    pub total_investment: i64,
    pub year_plan: i64,
    pub investment_month: i64,
    pub investment_ytd: i64,
    pub lights: LightCounts,
}

/// The package a district sends up for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Package {
    /// [`FORMAT`].
    pub format: String,
    /// The district's six-digit division code.
    pub division: String,
    pub district_name: String,
    /// `YYYY-MM`.
    pub period: String,
    pub projects: Vec<PackageProject>,
    pub totals: Totals,
    /// SHA-256 (hex) of the canonical content: [`Package::canonical`].
    pub digest: String,
}

/// The content the digest covers: the package without its digest, fields in this order.
#[derive(Serialize)]
struct Content<'a> {
    format: &'a str,
    division: &'a str,
    district_name: &'a str,
    period: &'a str,
    projects: &'a [PackageProject],
    totals: &'a Totals,
}

impl Package {
    /// A package of `projects`, its totals summed and its digest computed.
    pub fn build(division: &str, district_name: &str, period: &str, projects: Vec<PackageProject>) -> Package {
        let totals = totals_of(&projects);
        let mut p = Package {
            format: FORMAT.to_string(),
            division: division.to_string(),
            district_name: district_name.to_string(),
            period: period.to_string(),
            projects,
            totals,
            digest: String::new(),
        };
        p.digest = p.computed_digest();
        p
    }

    /// The canonical bytes: compact JSON of [`Content`].
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(&Content {
            format: &self.format,
            division: &self.division,
            district_name: &self.district_name,
            period: &self.period,
            projects: &self.projects,
            totals: &self.totals,
        })
        .expect("a package serialises")
    }

    pub fn computed_digest(&self) -> String {
        Sha256::digest(self.canonical()).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Every reason the package cannot be received, each against its part.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.format != FORMAT {
            e.push(
                "format",
                "uplink_format_unknown",
                format!("上报包格式“{}”无法识别：应为 {FORMAT}", self.format),
            );
        }
        if !is_division(&self.division) {
            e.push(
                "division",
                "uplink_division_invalid",
                format!("行政区划代码“{}”无效：应为6位数字", self.division),
            );
        }
        if parse_period(&self.period).is_none() {
            e.push(
                "period",
                "uplink_period_invalid",
                format!("上报期间“{}”无效：应为 YYYY-MM，如 2019-06", self.period),
            );
        }
        let mut seen = std::collections::BTreeSet::new();
        for p in &self.projects {
            if p.code.trim().is_empty() || !seen.insert(p.code.as_str()) {
                e.push(
                    "projects",
                    "uplink_project_code_repeated",
                    format!("项目代码“{}”为空或重复", p.code),
                );
            }
        }
        let sums = totals_of(&self.projects);
        for (name, sent, summed) in [
            ("projects", self.totals.projects, sums.projects),
            ("total_investment", self.totals.total_investment, sums.total_investment),
            ("year_plan", self.totals.year_plan, sums.year_plan),
            ("investment_month", self.totals.investment_month, sums.investment_month),
            ("investment_ytd", self.totals.investment_ytd, sums.investment_ytd),
            ("lights.red", self.totals.lights.red, sums.lights.red),
            ("lights.yellow", self.totals.lights.yellow, sums.lights.yellow),
            ("lights.green", self.totals.lights.green, sums.lights.green),
            ("lights.none", self.totals.lights.none, sums.lights.none),
        ] {
            if sent != summed {
                e.push(
                    "totals",
                    "uplink_totals_mismatch",
                    format!("合计“{name}”为 {sent}，与各项目之和 {summed} 不符"),
                );
            }
        }
        let computed = self.computed_digest();
        if self.digest != computed {
            e.push(
                "digest",
                "uplink_digest_mismatch",
                format!(
                    "摘要“{}”与内容不符：内容的 SHA-256 为 {computed}（包在途中被改动，或不是完整的上报包）",
                    self.digest
                ),
            );
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}

fn is_division(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A period as written in a package, `YYYY-MM` exactly: its year and month.
pub fn parse_period(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    ((1949..=2100).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

/// The key of a project in a package: its national code, else `zhantu-<id>`.
pub fn project_key(code: Option<&str>, id: i64) -> String {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => format!("zhantu-{id}"),
    }
}

/// The totals of a list of projects.
pub fn totals_of(projects: &[PackageProject]) -> Totals {
    let mut t = Totals::default();
    for p in projects {
        // Saturating: a package comes from outside, and its amounts may be anything.
        t.projects = t.projects.saturating_add(1);
        t.total_investment = t.total_investment.saturating_add(p.total_investment);
        t.year_plan = t.year_plan.saturating_add(p.year_plan);
        t.investment_month = t.investment_month.saturating_add(p.investment_month);
        t.investment_ytd = t.investment_ytd.saturating_add(p.investment_ytd);
        let n = match p.light.as_deref() {
            Some("red") => &mut t.lights.red,
            Some("yellow") => &mut t.lights.yellow,
            Some("green") => &mut t.lights.green,
            _ => &mut t.lights.none,
        };
        *n = n.saturating_add(1);
    }
    t
}

/// The sum of several packages' totals (the city's over its districts).
pub fn sum<'a>(totals: impl IntoIterator<Item = &'a Totals>) -> Totals {
    let mut s = Totals::default();
    for t in totals {
        s.projects = s.projects.saturating_add(t.projects);
        s.total_investment = s.total_investment.saturating_add(t.total_investment);
        s.year_plan = s.year_plan.saturating_add(t.year_plan);
        s.investment_month = s.investment_month.saturating_add(t.investment_month);
        s.investment_ytd = s.investment_ytd.saturating_add(t.investment_ytd);
        s.lights.red = s.lights.red.saturating_add(t.lights.red);
        s.lights.yellow = s.lights.yellow.saturating_add(t.lights.yellow);
        s.lights.green = s.lights.green.saturating_add(t.lights.green);
        s.lights.none = s.lights.none.saturating_add(t.lights.none);
    }
    s
}

/// A division expected to report, with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expected {
    pub division: String,
    pub name: String,
}

/// The divisions directly below `receiver` (a city's counties, a province's cities) in the
/// shipped list, in code order.
pub fn expected_below(receiver: &str) -> Vec<Expected> {
    let mut v: Vec<Expected> = divisions()
        .filter(|d| d.parent == receiver)
        .map(|d| Expected {
            division: d.code.to_string(),
            name: d.name.to_string(),
        })
        .collect();
    v.sort_by(|a, b| a.division.cmp(&b.division));
    v
}

/// Of the `expected` divisions, those not among `reported`.
pub fn missing(expected: &[Expected], reported: &[&str]) -> Vec<Expected> {
    expected
        .iter()
        .filter(|e| !reported.contains(&e.division.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(code: &str, light: Option<&str>, ytd: i64) -> PackageProject {
        PackageProject {
            code: code.into(),
            name: format!("项目{code}"),
            unit: "区发改局".into(),
            stage: "construction".into(),
            light: light.map(String::from),
            light_source: LIGHT_AT_MONTH_END.into(),
            total_investment: 1_000_000_000,
            year_plan: 200_000_000,
            investment_month: 10_000_000,
            investment_ytd: ytd,
            nodes: vec![PackageNode {
                name: "开工".into(),
                planned_on: "2019-05-01".into(),
                actual_on: Some("2019-05-03".into()),
                status: "closed".into(),
            }],
        }
    }

    fn package() -> Package {
        Package::build(
            "331002",
            "椒江区",
            "2019-06",
            vec![
                project("2019-331002-48-01-000001", Some("red"), 60_000_000),
                project("zhantu-7", None, 1),
            ],
        )
    }

    #[test]
    fn uplink_totals_are_the_sums_of_the_projects() {
        let p = package();
        assert_eq!(p.totals.projects, 2);
        assert_eq!(p.totals.investment_ytd, 60_000_001);
        assert_eq!(p.totals.total_investment, 2_000_000_000);
        assert_eq!(
            p.totals.lights,
            LightCounts {
                red: 1,
                yellow: 0,
                green: 0,
                none: 1
            }
        );
        assert!(p.validate().is_ok());
    }

    #[test]
    fn uplink_digest_is_sha256_of_the_content_without_the_digest() {
        let p = package();
        let again = package();
        assert_eq!(p.digest, again.digest);
        assert_eq!(serde_json::to_vec(&p).unwrap(), serde_json::to_vec(&again).unwrap());
        let text = String::from_utf8(p.canonical()).unwrap();
        assert!(text.starts_with(r#"{"format":"zhantu-uplink/1","division":"331002""#), "{text}");
        assert!(!text.contains("digest"));
        let hex: String = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(p.digest, hex);
        // Money is written as exact integers.
        assert!(text.contains(r#""total_investment":1000000000"#), "{text}");
        let mut changed = package();
        changed.projects[0].investment_month += 1;
        assert_ne!(changed.computed_digest(), p.digest);
    }

    #[test]
    fn uplink_validation_lists_every_bad_part() {
        let mut p = package();
        p.format = "other/2".into();
        p.division = "33100".into();
        p.period = "2019-6".into();
        p.totals.investment_ytd += 5;
        let e = p.validate().unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "uplink_format_unknown",
                "uplink_division_invalid",
                "uplink_period_invalid",
                "uplink_totals_mismatch",
                "uplink_digest_mismatch"
            ]
        );
        let mut tampered = package();
        tampered.projects[1].investment_ytd = 2;
        tampered.totals = totals_of(&tampered.projects);
        let e = tampered.validate().unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].code, "uplink_digest_mismatch");
    }

    #[test]
    fn uplink_amounts_from_outside_cannot_overflow_the_sums() {
        let mut p = package();
        p.projects[0].investment_ytd = i64::MAX;
        p.projects[1].investment_ytd = i64::MAX;
        assert_eq!(totals_of(&p.projects).investment_ytd, i64::MAX);
        let t = totals_of(&p.projects);
        assert_eq!(sum([&t, &t]).investment_ytd, i64::MAX);
    }

    #[test]
    fn uplink_periods_are_exactly_year_dash_month() {
        assert_eq!(parse_period("2019-06"), Some((2019, 6)));
        for bad in ["2019-6", "2019-13", "19-06", "2019/06", "2019-06-01", ""] {
            assert_eq!(parse_period(bad), None, "{bad}");
        }
        assert_eq!(project_key(Some(" 2019-331002-48-01-000001 "), 3), "2019-331002-48-01-000001");
        assert_eq!(project_key(None, 3), "zhantu-3");
        assert_eq!(project_key(Some(""), 4), "zhantu-4");
    }

    #[test]
    fn uplink_sum_and_missing_districts_of_taizhou() {
        let a = package().totals;
        let b = Package::build("331003", "黄岩区", "2019-06", vec![project("x", Some("green"), 7)]).totals;
        let s = sum([&a, &b]);
        assert_eq!(s.projects, 3);
        assert_eq!(s.investment_ytd, 60_000_008);
        assert_eq!(
            s.lights,
            LightCounts {
                red: 1,
                yellow: 0,
                green: 1,
                none: 1
            }
        );
        let expected = expected_below("331000");
        assert_eq!(expected.len(), 9);
        assert_eq!(
            expected[0],
            Expected {
                division: "331002".into(),
                name: "椒江区".into()
            }
        );
        let m = missing(&expected, &["331002", "331003"]);
        assert_eq!(m.len(), 7);
        assert_eq!(m[0].division, "331004");
        assert!(expected_below("330000").iter().any(|e| e.name == "台州市"));
    }
}
