import { describe } from "vitest";
import { ENDPOINTS } from "../helpers/endpoints";
import { securitySuite } from "../helpers/security";

describe("security suite", () => securitySuite(ENDPOINTS));
