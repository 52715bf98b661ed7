"""auth0 package."""
