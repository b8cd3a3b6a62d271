//! The API's contract: `GET /api/v1/openapi.json`, an OpenAPI 3.1 document generated from the
//! routes themselves (every JSON route each mechanism registers, through [`crate::routes`]) and
//! from the types their handlers take (query structs and JSON bodies, through `schemars`), so
//! it cannot drift from the code; and `/docs/api`, the same document as a page.
//!
//! A handler's extractors say what it takes: [`ApiQuery<T>`] gives query parameters from `T`'s
//! fields, [`Json<T>`] a JSON body of `T`'s schema; uploads are named at the route
//! ([`crate::routes::Methods::upload`]). Path parameters are typed by their name
//! ([`path_param`]), which a test holds to every route.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath};
use crate::page::{Ctx, Lang, Markup, PageError, layout};
use crate::routes::{Route, Routes, get};
use crate::{MECHANISMS, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{ConnectInfo, Form, Path, Query, Request, State};
use axum::http::HeaderMap;
use axum::response::Html;
use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value, json};
use std::sync::OnceLock;

pub const MECHANISM: Mechanism = Mechanism {
    name: "openapi",
    pages: pages,
    api: api,
};

fn pages() -> Routes {
    Routes::new().route("/docs/api", get(docs_page))
}

fn api() -> Routes {
    Routes::new().route("/openapi.json", get(openapi_json))
}

/// The document's path, public like `/healthz` (it holds no record).
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";

// ------------------------------------------------------------------ what a handler takes

/// What one handler takes, filled in by its extractors' [`Input`]s.
pub struct Operation<'g> {
    generator: &'g mut SchemaGenerator,
    query: Vec<Value>,
    body: Option<Value>,
}

/// An extractor's part of an operation: most take nothing the document shows (the signed-in
/// user, the state, the path, which is typed by name).
pub trait Input {
    fn describe(_op: &mut Operation) {}
}

/// A handler's extractors together: implemented for the argument tuples axum's `Handler` uses.
pub trait Inputs {
    fn describe(op: &mut Operation);
}

impl Inputs for ((),) {
    fn describe(_op: &mut Operation) {}
}

macro_rules! inputs {
    ($($t:ident),+) => {
        impl<M, $($t: Input),+> Inputs for (M, $($t,)+) {
            fn describe(op: &mut Operation) {
                $($t::describe(op);)+
            }
        }
    };
}

inputs!(T1);
inputs!(T1, T2);
inputs!(T1, T2, T3);
inputs!(T1, T2, T3, T4);
inputs!(T1, T2, T3, T4, T5);
inputs!(T1, T2, T3, T4, T5, T6);
inputs!(T1, T2, T3, T4, T5, T6, T7);
inputs!(T1, T2, T3, T4, T5, T6, T7, T8);

/// Query parameters: one per field of `T`, with its doc comment as description.
impl<T: JsonSchema> Input for ApiQuery<T> {
    fn describe(op: &mut Operation) {
        let root = op.generator.root_schema_for::<T>().to_value();
        let required: Vec<&str> = root["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(props) = root["properties"].as_object() {
            for (name, schema) in props {
                let mut schema = without_null(schema.clone());
                let description = schema.as_object_mut().and_then(|s| s.remove("description"));
                let mut p = json!({
                    "name": name,
                    "in": "query",
                    "required": required.contains(&name.as_str()),
                    "schema": schema,
                });
                if let Some(d) = description {
                    p["description"] = d;
                }
                op.query.push(p);
            }
        }
    }
}

/// A JSON body of `T`'s schema (its definition under `components/schemas`).
impl<T: JsonSchema> Input for Json<T> {
    fn describe(op: &mut Operation) {
        let schema = op.generator.subschema_for::<T>().to_value();
        op.body = Some(json!({
            "required": true,
            "content": { "application/json": { "schema": schema } },
        }));
    }
}

macro_rules! takes_nothing {
    ($($t:ty),* $(,)?) => { $(impl Input for $t {})* };
}

takes_nothing!(Auth, IdPath, Lang, Ctx, HeaderMap, Request, axum::http::request::Parts);

/// A body read as text and parsed by the handler (to accept an empty one, or to say more
/// precisely what is wrong): JSON, whose type the route names with
/// [`crate::routes::Methods::body`] where it has one.
impl Input for String {
    fn describe(op: &mut Operation) {
        op.body = Some(json!({
            "required": true,
            "content": { "application/json": { "schema": { "type": "object" } } },
        }));
    }
}

/// An extractor whose rejection the handler words itself.
impl<T: Input, E> Input for Result<T, E> {
    fn describe(op: &mut Operation) {
        T::describe(op)
    }
}

/// A JSON body of `T`'s schema, for [`crate::routes::Methods::body`].
pub fn json_body<T: JsonSchema>(op: &mut Operation) {
    Json::<T>::describe(op)
}
impl<S> Input for State<S> {}
impl<T> Input for Path<T> {}
impl<T> Input for Option<T> {}
impl<T> Input for ConnectInfo<T> {}
// Pages' extractors: pages are not in the document.
impl<T> Input for Query<T> {}
impl<T> Input for Form<T> {}

/// A field of a `multipart/form-data` upload.
pub struct UploadField {
    pub name: &'static str,
    pub kind: UploadKind,
    pub required: bool,
    pub description: &'static str,
}

pub enum UploadKind {
    /// A file's bytes.
    File,
    /// Several files under the same name.
    Files,
    Text,
    Integer,
    Boolean,
}

/// A query or path parameter has no `null`: an absent optional one is simply left out.
fn without_null(mut schema: Value) -> Value {
    if let Some(types) = schema.get_mut("type").and_then(Value::as_array_mut) {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types[0].clone();
            schema["type"] = only;
        }
    }
    schema
}

// ------------------------------------------------------------------ the document

/// The schema of a path parameter, by its name; `None` for a name no route should use
/// without deciding its type here (a test walks every route).
pub fn path_param(name: &str) -> Option<Value> {
    match name {
        // The examples are records and periods the demo district has, so that a client (or the
        // fuzzer's first phase) reaches a real one before trying others.
        "id" | "delivery" | "project_id" | "person_id" => Some(json!({ "type": "integer", "format": "int64", "examples": [1] })),
        "year" => Some(json!({ "type": "integer", "minimum": 1949, "maximum": 2100, "examples": [2019] })),
        "month" => Some(json!({ "type": "integer", "minimum": 1, "maximum": 12, "examples": [6] })),
        "code" | "file" | "kind" | "period" => Some(json!({ "type": "string" })),
        _ => None,
    }
}

/// The names of the `{…}` parameters of a path.
pub fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|s| s.trim_start_matches('*'))
        .collect()
}

/// The JSON routes of every mechanism, with the mechanism's name and their full path.
pub fn api_routes() -> Vec<(&'static str, String, Route)> {
    MECHANISMS
        .iter()
        .flat_map(|m| {
            (m.api)()
                .into_parts()
                .1
                .into_iter()
                .map(move |r| (m.name, format!("/api/v1{}", r.path), r))
        })
        .collect()
}

fn media_type(path: &str) -> Option<&'static str> {
    let (_, ext) = path.rsplit_once('.')?;
    Some(match ext {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv" => "text/csv",
        "pdf" => "application/pdf",
        "html" => "text/html",
        _ => return None,
    })
}

fn upload_body(fields: &[UploadField]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for f in fields {
        let schema = match f.kind {
            UploadKind::File => {
                encoding.insert(f.name.into(), json!({ "contentType": "application/octet-stream" }));
                json!({ "type": "string", "contentMediaType": "application/octet-stream" })
            }
            UploadKind::Files => {
                encoding.insert(f.name.into(), json!({ "contentType": "application/octet-stream" }));
                json!({ "type": "array", "items": { "type": "string", "contentMediaType": "application/octet-stream" } })
            }
            UploadKind::Text => json!({ "type": "string" }),
            UploadKind::Integer => json!({ "type": "integer" }),
            UploadKind::Boolean => json!({ "type": "boolean" }),
        };
        let mut schema = schema;
        schema["description"] = json!(f.description);
        props.insert(f.name.into(), schema);
        if f.required {
            required.push(f.name);
        }
    }
    json!({
        "required": true,
        "content": { "multipart/form-data": {
            "schema": { "type": "object", "properties": props, "required": required },
            "encoding": encoding,
        } },
    })
}

/// The operation's id: the mechanism, the method and the path's words, e.g.
/// `leads_post_leads_id_stage`.
fn operation_id(mechanism: &str, method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .trim_start_matches("/api/v1/")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    format!("{mechanism}_{}_{}", method.to_ascii_lowercase(), words.join("_"))
}

/// The whole document, built once.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(build)
}

fn build() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let mut paths = Map::new();
    let mut tags: Vec<&str> = Vec::new();
    for (mechanism, path, route) in api_routes() {
        let mut op = Operation {
            generator: &mut generator,
            query: Vec::new(),
            body: None,
        };
        (route.describe)(&mut op);
        if let Some(body) = route.body {
            body(&mut op);
        }
        let (query, body) = (op.query, op.body);
        let mut parameters: Vec<Value> = path_params(&path)
            .into_iter()
            .map(|name| {
                json!({
                    "name": name,
                    "in": "path",
                    "required": true,
                    "schema": path_param(name).unwrap_or_else(|| json!({ "type": "string" })),
                })
            })
            .collect();
        parameters.extend(query);
        let success = match media_type(&path) {
            Some(t) => json!({ "description": "成功 / OK", "content": { t: { "schema": { "type": "string", "contentMediaType": t } } } }),
            None => json!({ "description": "成功 / OK", "content": { "application/json": { "schema": {} } } }),
        };
        let mut operation = json!({
            "operationId": operation_id(mechanism, route.method, &path),
            "tags": [mechanism],
            "responses": {
                "2XX": success,
                "default": { "$ref": "#/components/responses/Error" },
            },
        });
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        if let Some(fields) = route.upload {
            operation["requestBody"] = upload_body(fields);
        } else if let Some(body) = body {
            operation["requestBody"] = body;
        }
        if crate::guard::is_public(&path) {
            operation["security"] = json!([{}]);
        }
        if !tags.contains(&mechanism) {
            tags.push(mechanism);
        }
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[route.method.to_ascii_lowercase()] = operation;
    }
    let mut schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    schemas.insert("ApiError".into(), error_schema());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "zhantu 战图 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "重大项目挂图作战系统的 JSON 接口。每个请求以 API 令牌（`Authorization: Bearer …`，在“我的账号”中签发）或登录会话认证；读写范围与该用户在网页上的权限相同。错误以 `{\"error\": {\"code\", \"message\"}}` 返回，code 稳定，message 为中文。\n\nThe JSON API of zhantu. Authenticate with an API token (`Authorization: Bearer …`, issued on the account page) or a signed-in session; a token reads and writes exactly what its user may on the pages. Errors come as `{\"error\": {\"code\", \"message\"}}` with a stable code.",
        },
        "tags": tags.iter().map(|t| json!({ "name": t })).collect::<Vec<_>>(),
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "API 令牌 / API token" },
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE },
            },
            "responses": {
                "Error": {
                    "description": "错误 / Error",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ApiError" } } },
                },
            },
        },
    })
}

/// The body of every refusal.
fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["error"],
        "properties": { "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": { "type": "string", "description": "稳定的机器码 / a stable machine code" },
                "message": { "type": "string", "description": "中文说明 / the reason, in Chinese" },
            },
        } },
    })
}

async fn openapi_json() -> Result<Json<&'static Value>, ApiError> {
    Ok(Json(document()))
}

// ------------------------------------------------------------------ the page

/// One operation as the page lists it.
struct OpRow {
    method: String,
    path: String,
    id: String,
    params: Vec<ParamRow>,
    body: String,
    public: bool,
}

struct ParamRow {
    name: String,
    place: String,
    kind: String,
    required: bool,
    description: String,
}

struct TagGroup {
    name: String,
    ops: Vec<OpRow>,
}

#[derive(Template)]
#[template(path = "openapi/docs.html")]
struct DocsPage<'a> {
    cx: &'a Ctx,
    groups: Vec<TagGroup>,
    operations: usize,
}

fn kind_of(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit_once('/').map_or(r, |(_, name)| name).to_string();
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        _ => "any".into(),
    }
}

fn body_of(op: &Value) -> String {
    let Some(content) = op["requestBody"]["content"].as_object() else {
        return String::new();
    };
    content
        .iter()
        .map(|(media, c)| format!("{media}: {}", kind_of(&c["schema"])))
        .collect::<Vec<_>>()
        .join("; ")
}

fn groups(doc: &Value) -> Vec<TagGroup> {
    let mut groups: Vec<TagGroup> = Vec::new();
    let Some(paths) = doc["paths"].as_object() else {
        return groups;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        for (method, op) in item {
            let tag = op["tags"][0].as_str().unwrap_or("").to_string();
            let params = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| ParamRow {
                            name: p["name"].as_str().unwrap_or("").into(),
                            place: p["in"].as_str().unwrap_or("").into(),
                            kind: kind_of(&p["schema"]),
                            required: p["required"].as_bool().unwrap_or(false),
                            description: p["description"].as_str().unwrap_or("").into(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let row = OpRow {
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                id: op["operationId"].as_str().unwrap_or("").into(),
                params,
                body: body_of(op),
                public: op.get("security").is_some(),
            };
            match groups.iter_mut().find(|g| g.name == tag) {
                Some(g) => g.ops.push(row),
                None => groups.push(TagGroup { name: tag, ops: vec![row] }),
            }
        }
    }
    groups
}

async fn docs_page(cx: Ctx) -> Result<Html<String>, PageError> {
    let doc = document();
    let groups = groups(doc);
    let operations = groups.iter().map(|g| g.ops.len()).sum();
    let title = cx.t("openapi.title");
    let body = Markup::of(&DocsPage {
        cx: &cx,
        groups,
        operations,
    });
    Ok(layout(&cx, title, body, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parameter_has_a_decided_type() {
        for (_, path, _) in api_routes() {
            for name in path_params(&path) {
                assert!(
                    path_param(name).is_some(),
                    "{path}: parameter {{{name}}} has no type in openapi::path_param"
                );
            }
        }
    }

    #[test]
    fn every_json_route_is_in_the_document_once_with_a_unique_id() {
        let doc = document();
        let mut ids = std::collections::BTreeSet::new();
        let routes = api_routes();
        assert!(routes.len() > 100, "only {} JSON routes found", routes.len());
        for (_, path, route) in &routes {
            let op = &doc["paths"][path][route.method.to_ascii_lowercase()];
            assert!(op.is_object(), "{} {path} is missing from openapi.json", route.method);
            let id = op["operationId"].as_str().unwrap().to_string();
            assert!(ids.insert(id.clone()), "operationId {id} is used twice");
        }
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|i| i.as_object().unwrap().len())
            .sum();
        assert_eq!(documented, routes.len(), "the document has operations no route registers");
    }

    #[test]
    fn bodies_and_queries_come_from_the_handlers_types() {
        let doc = document();
        // The leads' list takes `LeadsQuery`: stage, team, leader.
        let params = doc["paths"]["/api/v1/leads"]["get"]["parameters"].as_array().unwrap();
        let names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        for n in ["stage", "team", "leader"] {
            assert!(names.contains(&n), "GET /api/v1/leads lacks ?{n}: {names:?}");
        }
        // Creating a lead takes a JSON body whose schema is a component.
        let body = &doc["paths"]["/api/v1/leads"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        let name = body["$ref"].as_str().expect("a $ref").rsplit_once('/').unwrap().1;
        assert!(
            doc["components"]["schemas"][name]["properties"].is_object(),
            "{name} has no properties"
        );
        // An import is an upload.
        let upload = &doc["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]["multipart/form-data"];
        assert!(upload["schema"]["properties"]["file"].is_object());
        // Every $ref points at a schema the document holds.
        fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        out.push(r);
                    }
                    m.values().for_each(|v| refs(v, out));
                }
                Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let mut all = Vec::new();
        refs(doc, &mut all);
        for r in all {
            let pointer = r.trim_start_matches('#');
            assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
        }
    }
}
