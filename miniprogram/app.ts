/** App entry. The backend client is built lazily by services/api on first call, so launch stays cheap. */
App({});
