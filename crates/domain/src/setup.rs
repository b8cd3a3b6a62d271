//! 初始化: a new district set up from nothing (`zhantu init`, the first-run page). Which place
//! it is — a six-digit division code checked against the shipped Zhejiang codes, or any valid
//! code of another province — its first units (the government, its streets and towns from the
//! shipped township data, the coordinating bureau), and everything else it starts with from
//! [`crate::defaults`]. All of it is edited afterwards through the app.

use crate::DivisionCode;
use crate::dataset::Dataset;
use crate::defaults;
use crate::error::{ParseError, normalize_input};
use crate::lights::LightRules;
use crate::model::{Unit, UnitKind};
use crate::reference;

/// The provinces of the mainland, by the first two digits of their codes (GB/T 2260).
const PROVINCES: [&str; 31] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50",
    "51", "52", "53", "54", "61", "62", "63", "64", "65",
];

/// Zhejiang, the province whose division codes and townships zhantu ships.
const SHIPPED_PROVINCE: &str = "33";

const WHAT_DIVISION: &str = "行政区划代码";
const WHAT_NAME: &str = "区（县）名称";
const MAX_NAME_CHARS: usize = 30;

/// Which district a database is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictPlace {
    /// 椒江区.
    pub name: String,
    /// Six digits: 331002.
    pub division: DivisionCode,
    /// The province's code: 330000.
    pub province: DivisionCode,
    /// Its streets and towns from the shipped data, in code order (none outside Zhejiang).
    pub streets: Vec<(DivisionCode, String)>,
    /// Does the shipped data know the code (so its name and streets come from there)?
    pub shipped: bool,
}

impl DistrictPlace {
    /// The district of a six-digit code, named `name` or else by its official name.
    pub fn parse(division: &str, name: Option<&str>) -> Result<DistrictPlace, ParseError> {
        let code = normalize_input(division);
        let err = |reason: String| ParseError::new("invalid_division_code", WHAT_DIVISION, division, reason);
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(err("应为区（县）的6位数字代码，如 331002（椒江区）".into()));
        }
        let province = &code[..2];
        if !PROVINCES.contains(&province) {
            return Err(err(format!("前两位“{province}”不是内地省级代码（11—65）")));
        }
        if code.ends_with("0000") {
            return Err(err("这是省级代码：请填写区（县）的6位代码".into()));
        }
        let division = DivisionCode::parse(&code)?;
        let official = reference::divisions().find(|r| r.code == code && r.level != "township");
        let shipped = province == SHIPPED_PROVINCE;
        if shipped && official.is_none() {
            return Err(err("浙江省没有这个区划代码（依据随附的浙江省行政区划表）".into()));
        }
        let name = match name.map(normalize_input).filter(|n| !n.is_empty()) {
            Some(n) if n.chars().count() > MAX_NAME_CHARS => {
                return Err(ParseError::new(
                    "invalid_district_name",
                    WHAT_NAME,
                    &n,
                    format!("不能超过{MAX_NAME_CHARS}个字"),
                ));
            }
            Some(n) => n,
            None => match official {
                Some(r) => r.name.to_string(),
                None => {
                    return Err(ParseError::new(
                        "district_name_required",
                        WHAT_NAME,
                        "",
                        "随附数据只有浙江省的区划名称，浙江省以外的区（县）请填写名称",
                    ));
                }
            },
        };
        let streets = reference::streets_and_towns(&code)
            .into_iter()
            .map(|t| Ok((DivisionCode::parse(t.code)?, t.name.to_string())))
            .collect::<Result<_, ParseError>>()?;
        Ok(DistrictPlace {
            name,
            province: DivisionCode::parse(&format!("{province}0000"))?,
            division,
            streets,
            shipped,
        })
    }

    /// The root unit: the district's government (椒江区人民政府).
    pub fn government(&self) -> String {
        format!("{}人民政府", self.name)
    }

    /// The coordinating bureau (发改局), the coordinators' unit.
    pub fn coordinating_bureau(&self) -> String {
        format!("{}发展和改革局", self.name)
    }
}

/// Everything `zhantu init` or the first-run page writes: the place and the first administrator.
#[derive(Debug, Clone)]
pub struct DistrictSetup {
    pub place: DistrictPlace,
    /// Parsed with [`crate::access::parse_username`].
    pub admin_username: String,
    pub admin_display_name: String,
    /// The password's hash (the edge hashes it).
    pub admin_password_hash: String,
    /// A temporary password (the CLI's) must be changed at first sign-in; one the clerk chose
    /// on the first-run page need not.
    pub must_change_password: bool,
}

impl DistrictSetup {
    /// The district's first records as a data set (ids from 1, the government first): its
    /// settings, units, and the default types, templates, categories, clocks and light rules.
    pub fn dataset(&self) -> Dataset {
        let p = &self.place;
        let mut units = vec![Unit {
            id: 1,
            parent_id: None,
            name: p.government(),
            kind: UnitKind::District,
            division_code: Some(p.division.clone()),
        }];
        for (code, name) in &p.streets {
            units.push(Unit {
                id: units.len() as i64 + 1,
                parent_id: Some(1),
                name: name.clone(),
                kind: defaults::township_kind(name),
                division_code: Some(code.clone()),
            });
        }
        units.push(Unit {
            id: units.len() as i64 + 1,
            parent_id: Some(1),
            name: p.coordinating_bureau(),
            kind: UnitKind::Department,
            division_code: Some(p.division.clone()),
        });
        Dataset {
            settings: [
                ("district_name", p.name.clone()),
                ("district_division", p.division.to_string()),
                ("province_division", p.province.to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            units,
            categories: defaults::categories(),
            project_types: defaults::project_types(),
            node_templates: defaults::node_templates(),
            approval_clocks: defaults::approval_clocks(),
            light_rules: LightRules::default(),
            ..Dataset::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zhejiang_district_gets_its_name_and_streets() {
        let p = DistrictPlace::parse("331002", None).unwrap();
        assert_eq!((p.name.as_str(), p.province.as_str(), p.shipped), ("椒江区", "330000", true));
        assert_eq!(p.streets.len(), 10);
        assert_eq!(p.streets[0].1, "海门街道");
        assert!(
            p.streets
                .iter()
                .all(|(c, _)| c.as_str().starts_with("331002") && c.as_str().len() == 9)
        );
        let named = DistrictPlace::parse(" ３３１００２ ", Some("台州市椒江区")).unwrap();
        assert_eq!(named.name, "台州市椒江区");
    }

    #[test]
    fn another_province_needs_a_name_and_has_no_streets() {
        let p = DistrictPlace::parse("110105", Some("朝阳区")).unwrap();
        assert_eq!((p.province.as_str(), p.streets.len(), p.shipped), ("110000", 0, false));
        let e = DistrictPlace::parse("110105", None).unwrap_err();
        assert_eq!(e.code, "district_name_required");
    }

    #[test]
    fn invalid_codes_say_why_in_chinese() {
        for (code, why) in [
            ("12345", "6位"),
            ("3310021", "6位"),
            ("33100a", "6位"),
            ("999999", "省级代码"),
            ("710100", "省级代码"),
            ("330000", "省级代码"),
            ("339999", "浙江省没有"),
        ] {
            let e = DistrictPlace::parse(code, Some("某区")).unwrap_err();
            assert_eq!(e.code, "invalid_division_code", "{code}");
            assert!(e.to_string().contains(why), "{code}: {e}");
        }
        assert!(DistrictPlace::parse("331002", Some(&"长".repeat(31))).is_err());
    }

    #[test]
    fn the_dataset_is_the_defaults_under_the_government() {
        let setup = DistrictSetup {
            place: DistrictPlace::parse("331002", None).unwrap(),
            admin_username: "admin".into(),
            admin_display_name: "系统管理员".into(),
            admin_password_hash: "x".into(),
            must_change_password: true,
        };
        let ds = setup.dataset();
        assert_eq!(ds.units.len(), 12);
        assert_eq!(ds.units[0].name, "椒江区人民政府");
        assert_eq!(ds.units.last().unwrap().name, "椒江区发展和改革局");
        assert_eq!(ds.units.iter().filter(|u| u.kind == UnitKind::Town).count(), 1);
        assert!(ds.units[1..].iter().all(|u| u.parent_id == Some(1)));
        assert_eq!(ds.project_types.len(), defaults::PROJECT_TYPES.len());
        assert!(ds.projects.is_empty() && ds.people.is_empty());
        assert!(ds.settings.contains(&("district_division".into(), "331002".into())));
    }
}
