//! What every visitor gets before signing in: the public pages pass axe-core at the narrowest
//! phone width, the site has an icon, and the pages that hold nothing of anyone's come back
//! from the browser's back/forward cache instead of being fetched again.

use crate::driver;
use crate::helpers;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_pass_axe_at_320_px_and_have_an_icon() {
    let Some(browser) = driver::start_sized(320).await else {
        return;
    };
    let app = helpers::spawn_app(helpers::sqlite()).await;
    for (path, name) in [
        ("/", "public-1-home"),
        ("/vote", "public-2-code"),
        ("/staff/login", "public-3-staff-login"),
        ("/no/such/page", "public-4-not-found"),
        ("/?lang=en", "public-5-home-en"),
    ] {
        // `goto` runs axe-core on each.
        browser.goto(&format!("{}{path}", app.base)).await;
        browser.assert_fits(path).await;
        browser.shot(name).await;
    }
    let icon = browser
        .client
        .execute(
            "const l = document.querySelector('link[rel=icon]'); return l ? l.href : '';",
            vec![],
        )
        .await
        .expect("script");
    assert!(driver::value_str(&icon).ends_with("/favicon.svg"), "{icon}");
    for path in ["/favicon.svg", "/favicon.ico"] {
        let response = reqwest::get(format!("{}{path}", app.base))
            .await
            .expect("the icon");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "image/svg+xml",
            "{path}"
        );
        assert!(response.text().await.expect("body").starts_with("<svg"));
    }
    browser.close().await;
}

/// Back to the code form after opening the home page: the very same document comes back (a
/// marker set on it survives), which `Cache-Control: no-store` prevents (the not-found page,
/// `no-store`, is fetched again). The owner's
/// ballot pages keep `no-store`: Back after signing out must not show a sheet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_without_secrets_come_back_from_the_back_forward_cache() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let app = helpers::spawn_app(helpers::sqlite()).await;
    // The control: a `no-store` page (the not-found page) is fetched again.
    for (path, expected) in [("/vote", "yes"), ("/no/such/page", "fetched again")] {
        browser.goto(&format!("{}{path}", app.base)).await;
        browser
            .client
            .execute("window.__gongjue_kept = 'yes';", vec![])
            .await
            .expect("marking the page");
        browser.goto(&format!("{}/", app.base)).await;
        browser.client.back().await.expect("going back");
        let mut kept = serde_json::Value::Null;
        for _ in 0..100 {
            kept = browser
                .client
                .execute(
                    &format!("return document.readyState === 'complete' && location.pathname === '{path}' ? (window.__gongjue_kept || 'fetched again') : null;"),
                    vec![],
                )
                .await
                .expect("script");
            if !kept.is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(driver::value_str(&kept), expected, "back to {path}");
    }

    for (path, expected) in [
        ("/", "private, no-cache"),
        ("/vote", "private, no-cache"),
        ("/staff/login", "private, no-cache"),
        ("/ballot", "no-store"),
    ] {
        let response = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("the page");
        assert_eq!(response.headers()["cache-control"], expected, "{path}");
    }
    browser.close().await;
}
