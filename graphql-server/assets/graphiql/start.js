// Starts GraphiQL on the address it was served at (/graphql, or /m/{slug}/graphql for another
// movement of the server), with subscriptions over the same address (WebSocket). The
// token typed in the Headers tab is also sent in the WebSocket's connection_init payload.
(function () {
  var url = window.location.origin + window.location.pathname;
  var ws = url.replace(/^http/, 'ws');
  function headers() {
    try {
      return JSON.parse(window.localStorage.getItem('graphiql:headers') || '{}');
    } catch (e) {
      return {};
    }
  }
  var fetcher = GraphiQL.createFetcher({
    url: url,
    subscriptionUrl: ws,
    wsConnectionParams: function () { return headers(); },
  });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
