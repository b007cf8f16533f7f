/**
 * @module sandbox/woodpecker/web-ui
 * The page Woodpecker's web UI serves for every path no route matches: web/index.html of
 * woodpecker-ci/woodpecker (v3.17), shortened to its shape; a client that asked for JSON and got
 * this has the wrong URL.
 */
export const WEB_UI_INDEX = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Woodpecker</title>
    <script type="" src="/web-config.js"></script>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`;
