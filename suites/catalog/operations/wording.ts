// Wording shared by several catalog modules.

// Reused wording for the store-and-return configuration families.
export const CONFIG_DATA = "Plain configuration data a complete S3 service stores, validates and returns";
