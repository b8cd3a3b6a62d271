//! The routes of a mechanism, built the way axum's are, but recording as they go the method
//! and path of every handler that changes state (POST, PUT, PATCH, DELETE), so the list of
//! write routes the access tests walk is the routes themselves and cannot forget one.
//!
//! ```text
//! Routes::new()
//!     .route("/batches", get(list).post(create))
//!     .route("/imports", post(start).body_limit(MAX_IMPORT_BYTES))
//! ```

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{self, MethodRouter};

/// A mechanism's pages or its JSON routes (mounted under `/api/v1/` by [`crate::router`]).
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    /// (method, path) of each write handler, the path as given to [`Routes::route`].
    writes: Vec<(&'static str, &'static str)>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the handlers of one path.
    pub fn route(mut self, path: &'static str, methods: Methods) -> Self {
        self.writes.extend(methods.writes.iter().map(|m| (*m, path)));
        self.router = self.router.route(path, methods.router);
        self
    }

    pub(crate) fn into_parts(self) -> (Router<AppState>, Vec<(&'static str, &'static str)>) {
        (self.router, self.writes)
    }
}

/// The handlers of one path, by method: start with [`get`], [`post`]… and chain the others.
pub struct Methods {
    router: MethodRouter<AppState>,
    writes: Vec<&'static str>,
}

macro_rules! methods {
    ($($name:ident $method:literal $write:literal),*) => {
        $(
            #[doc = concat!("A path answering ", $method, " with `handler`.")]
            pub fn $name<H, T>(handler: H) -> Methods
            where
                H: Handler<T, AppState>,
                T: 'static,
            {
                Methods { router: routing::$name(handler), writes: Vec::new() }.record($method, $write)
            }

            impl Methods {
                #[doc = concat!("Also answers ", $method, " with `handler`.")]
                pub fn $name<H, T>(mut self, handler: H) -> Self
                where
                    H: Handler<T, AppState>,
                    T: 'static,
                {
                    self.router = self.router.$name(handler);
                    self.record($method, $write)
                }
            }
        )*
    };
}

methods!(get "GET" false, post "POST" true, put "PUT" true, patch "PATCH" true, delete "DELETE" true);

impl Methods {
    fn record(mut self, method: &'static str, write: bool) -> Self {
        if write {
            self.writes.push(method);
        }
        self
    }

    /// Accepts bodies up to `bytes` on this path (the app's default is `guard::MAX_BODY_BYTES`).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.router = self.router.layer(DefaultBodyLimit::max(bytes));
        self
    }
}
