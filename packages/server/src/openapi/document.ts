import type { SwaggerOptions } from '@fastify/swagger';
import type { Services } from '../services.js';

export function openApiDocumentation(services: Services): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${services.vendor.productName} API`,
        version: '0.1.0',
        description: 'Projects, environments, access and API-token automation. Paths and fields follow the Platform.sh API.',
      },
      servers: [{ url: services.config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
      security: [{ bearer: [] }],
    },
  };
}
