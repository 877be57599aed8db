'use strict';
// Every call reports that no OS keychain is available; callers (the Forge CLI's credential store)
// then fall back to the FORGE_EMAIL / FORGE_API_TOKEN environment variables.
const unavailable = () =>
  Promise.reject(new Error('No OS keychain in this install: set FORGE_EMAIL and FORGE_API_TOKEN instead.'));
module.exports = {
  getPassword: unavailable,
  setPassword: unavailable,
  deletePassword: unavailable,
  findPassword: unavailable,
  findCredentials: unavailable,
};
