package com.shop.order;

import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import org.springframework.stereotype.Component;

@Component
public class PaymentClient {

    // when the breaker opens, callers get an exception instead of a
    // degraded answer: there is no fallbackMethod
    @CircuitBreaker(name = "payment-gw")
    public Receipt charge(Order order) {
        return gateway.charge(order);
    }

    @CircuitBreaker(name = "inventory", fallbackMethod = "assumeInStock")
    public boolean reserve(Order order) {
        return inventory.reserve(order);
    }

    private boolean assumeInStock(Order order, Throwable t) {
        return true;
    }

    private PaymentGateway gateway;
    private InventoryService inventory;
}
