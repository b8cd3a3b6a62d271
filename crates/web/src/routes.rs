//! The routes of a mechanism, built the way axum's are, but recording as they go the method,
//! the path and what each handler takes (its query, its JSON body, its upload), so the list of
//! write routes the access tests walk and the OpenAPI document (`crate::openapi`) are the
//! routes themselves and cannot forget one.
//!
//! ```text
//! Routes::new()
//!     .route("/batches", get(list).post(create))
//!     .route("/imports", post(start).body_limit(MAX_IMPORT_BYTES).upload(&[…]))
//! ```

use crate::AppState;
use crate::openapi::{Inputs, Operation, UploadField};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{self, MethodRouter};

/// A mechanism's pages or its JSON routes (mounted under `/api/v1/` by [`crate::router`]).
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    routes: Vec<Route>,
}

/// One handler as recorded: its method, its path as given to [`Routes::route`], and how to
/// describe what it takes.
#[derive(Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    /// Describes the handler's query parameters and JSON body from its extractors' types.
    pub describe: fn(&mut Operation),
    /// Describes a body the handler parses itself (see [`Methods::body`]).
    pub body: Option<fn(&mut Operation)>,
    /// The fields of a `multipart/form-data` upload, for handlers that read one.
    pub upload: Option<&'static [UploadField]>,
}

impl Route {
    /// Whether the handler changes state (POST, PUT, PATCH, DELETE).
    pub fn writes(&self) -> bool {
        self.method != "GET"
    }
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the handlers of one path.
    pub fn route(mut self, path: &'static str, methods: Methods) -> Self {
        self.routes.extend(methods.handlers.iter().map(|h| Route {
            method: h.method,
            path,
            describe: h.describe,
            body: h.body,
            upload: h.upload,
        }));
        self.router = self.router.route(path, methods.router);
        self
    }

    pub(crate) fn into_parts(self) -> (Router<AppState>, Vec<Route>) {
        (self.router, self.routes)
    }
}

/// A handler of a path before the path is known.
struct Handled {
    method: &'static str,
    describe: fn(&mut Operation),
    body: Option<fn(&mut Operation)>,
    upload: Option<&'static [UploadField]>,
}

/// The handlers of one path, by method: start with [`get`], [`post`]… and chain the others.
pub struct Methods {
    router: MethodRouter<AppState>,
    handlers: Vec<Handled>,
}

macro_rules! methods {
    ($($name:ident $method:literal),*) => {
        $(
            #[doc = concat!("A path answering ", $method, " with `handler`.")]
            pub fn $name<H, T>(handler: H) -> Methods
            where
                H: Handler<T, AppState>,
                T: Inputs + 'static,
            {
                Methods { router: routing::$name(handler), handlers: Vec::new() }.record::<T>($method)
            }

            impl Methods {
                #[doc = concat!("Also answers ", $method, " with `handler`.")]
                pub fn $name<H, T>(mut self, handler: H) -> Self
                where
                    H: Handler<T, AppState>,
                    T: Inputs + 'static,
                {
                    self.router = self.router.$name(handler);
                    self.record::<T>($method)
                }
            }
        )*
    };
}

methods!(get "GET", post "POST", put "PUT", patch "PATCH", delete "DELETE");

impl Methods {
    fn record<T: Inputs>(mut self, method: &'static str) -> Self {
        self.handlers.push(Handled {
            method,
            describe: T::describe,
            body: None,
            upload: None,
        });
        self
    }

    /// Accepts bodies up to `bytes` on this path (the app's default is `guard::MAX_BODY_BYTES`).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.router = self.router.layer(DefaultBodyLimit::max(bytes));
        self
    }

    /// The last handler added reads its body as text and parses it as a `T` (which its
    /// extractors cannot say).
    pub fn body<T: schemars::JsonSchema>(mut self) -> Self {
        if let Some(h) = self.handlers.last_mut() {
            h.body = Some(crate::openapi::json_body::<T>);
        }
        self
    }

    /// The last handler added reads a `multipart/form-data` upload with these fields (it opens
    /// the body itself, after checking access, so its extractors cannot say so).
    pub fn upload(mut self, fields: &'static [UploadField]) -> Self {
        if let Some(h) = self.handlers.last_mut() {
            h.upload = Some(fields);
        }
        self
    }
}
