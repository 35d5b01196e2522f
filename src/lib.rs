//! The workspace root package holds only the end-to-end tests (`tests/api/`), which start the
//! real `gongjue` server in-process and drive it over HTTP. There is no code here.
